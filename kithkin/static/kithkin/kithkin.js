// Kithkin's own script: keyboard shortcuts and the quick-capture dialog. Everything here is an
// enhancement; without it every link and form still works as a plain HTML page.
(function () {
  "use strict";

  function isTyping(target) {
    return target instanceof Element && target.closest("input, textarea, select, [contenteditable='true']");
  }

  // --- quick capture: `l` or the "Log a touch" button open it in a dialog --------------------
  function captureDialog() { return document.getElementById("capture-dialog"); }

  function openCapture(url) {
    const dialog = captureDialog();
    if (!dialog || !window.htmx || typeof dialog.showModal !== "function") {
      window.location.href = url;
      return;
    }
    htmx.ajax("GET", url, { target: "#capture-body", swap: "innerHTML" }).then(function () {
      if (!dialog.open) dialog.showModal();
      const first = dialog.querySelector("[autofocus]") || dialog.querySelector("input, select, textarea, button");
      if (first) first.focus();
    });
  }

  document.addEventListener("click", function (event) {
    const link = event.target instanceof Element && event.target.closest("a[data-capture]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    openCapture(link.href);
  });

  document.addEventListener("click", function (event) {
    const closer = event.target instanceof Element && event.target.closest("[data-close-dialog]");
    if (!closer) return;
    const dialog = closer.closest("dialog");
    if (dialog) { event.preventDefault(); dialog.close(); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    if (document.querySelector("dialog[open]")) return;
    if (event.key === "l" || event.key === "L") {
      const button = document.getElementById("capture-button");
      if (button) { event.preventDefault(); openCapture(button.href); }
    } else if (event.key === "/") {
      const search = document.querySelector("input[type=search]");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
    }
  });

  // After a touch is logged from a page that shows touches or follow-ups, refresh those parts.
  document.addEventListener("DOMContentLoaded", function () {
    const dialog = captureDialog();
    if (dialog) {
      dialog.addEventListener("close", function () {
        if (dialog.dataset.logged) {
          delete dialog.dataset.logged;
          document.body.dispatchEvent(new CustomEvent("kithkin:refresh", { bubbles: true }));
        }
        const opener = document.getElementById("capture-button");
        if (opener && document.activeElement === document.body) opener.focus();
      });
    }
  });
  document.addEventListener("kithkin:touch-logged", function () {
    const dialog = captureDialog();
    if (dialog) dialog.dataset.logged = "1";
  });
})();
