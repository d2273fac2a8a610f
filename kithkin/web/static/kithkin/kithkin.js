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
    const onPage = document.getElementById("capture-panel");
    if (onPage && !onPage.closest("dialog")) {
      const first = onPage.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
      return;
    }
    const dialog = captureDialog();
    if (!dialog || !window.htmx || typeof dialog.showModal !== "function") {
      window.location.href = url;
      return;
    }
    htmx.ajax("GET", url, { target: "#capture-body", swap: "innerHTML" }).then(function () {
      // htmx wires new content when it settles, a moment after the swap: wire it now, so a
      // Ctrl+Enter pressed at once submits through htmx and not as a plain form.
      htmx.process(document.getElementById("capture-body"));
      if (!dialog.open) dialog.showModal();
      const first = dialog.querySelector("[autofocus]") || dialog.querySelector("input:not([type=hidden]), select, textarea");
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
      // The people search, not the Ask box beside it (which asks in words: it has its own label);
      // where the page shows none (Today on a phone), the People page, which opens in its search.
      const shown = Array.from(document.querySelectorAll("input[type=search]")).filter(function (input) { return input.checkVisibility(); });
      const search = shown.find(function (input) { return !input.hasAttribute("data-ask"); });
      const people = document.querySelector("a[data-people-search]");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
      else if (people) { event.preventDefault(); location.assign(people.href); }
      else if (shown.length) { event.preventDefault(); shown[0].focus(); }
    }
  });

  // --- choosing people: a combobox that turns names into chips --------------------------------
  // The input stays a plain text field: without this script, typed names ("Ana, Bo Chen") are
  // read by the server, which asks before adding anyone new.
  function setupCombobox(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    const input = root.querySelector("input[role=combobox]");
    const list = root.querySelector("[role=listbox]");
    const chips = root.querySelector(".chips");
    const url = root.dataset.suggestUrl;
    let timer = null;
    let asked = 0;

    function options() { return Array.from(list.querySelectorAll("[role=option]")); }
    function active() { return list.querySelector("[aria-selected=true]"); }
    function close() {
      list.hidden = true;
      list.innerHTML = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function highlight(option) {
      options().forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
      if (option) {
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      }
    }
    function chosenIds() {
      return Array.from(chips.querySelectorAll("input[name=person]")).map(function (i) { return i.value; });
    }
    function addChip(label, field, value, isNew) {
      const li = document.createElement("li");
      li.className = isNew ? "chip new" : "chip";
      li.append(document.createTextNode(label));
      if (isNew) {
        const small = document.createElement("small");
        small.textContent = " new";
        li.append(small);
      }
      const hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = field; hidden.value = value;
      const remove = document.createElement("button");
      remove.type = "button"; remove.className = "chip-remove";
      remove.setAttribute("aria-label", "Remove " + label);
      remove.textContent = "×";
      li.append(hidden, remove);
      chips.append(li);
    }
    function choose(option) {
      if (!option) return;
      if (option.dataset.id) {
        if (!chosenIds().includes(option.dataset.id)) addChip(option.dataset.name, "person", option.dataset.id, false);
      } else if (option.dataset.new) {
        addChip(option.dataset.new, "new", option.dataset.new, true);
      }
      input.value = "";
      close();
      input.focus();
    }
    function suggest() {
      const q = input.value.trim();
      if (!q || q.includes(",")) { close(); return; }
      const params = new URLSearchParams({ q: q, new: "1" });
      chosenIds().forEach(function (id) { params.append("exclude", id); });
      const ticket = ++asked;
      fetch(url + "?" + params.toString(), { headers: { "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          if (ticket !== asked || input.value.trim() !== q) return;
          list.innerHTML = html;
          const any = options().length > 0;
          list.hidden = !any;
          input.setAttribute("aria-expanded", any ? "true" : "false");
          highlight(active());
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, 120);
    });
    input.addEventListener("keydown", function (event) {
      const open = !list.hidden && options().length > 0;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!open) { suggest(); return; }
        event.preventDefault();
        const all = options();
        const index = all.indexOf(active());
        const next = event.key === "ArrowDown" ? Math.min(all.length - 1, index + 1) : Math.max(0, index - 1);
        highlight(all[next]);
      } else if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
        if (open) { event.preventDefault(); choose(active()); }
        else if (input.value.trim()) { event.preventDefault(); clearTimeout(timer); suggest(); }
      } else if (event.key === "Tab" && open && input.value.trim()) {
        choose(active());
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        event.stopPropagation();
        close();
      } else if (event.key === "Backspace" && !input.value) {
        const last = chips.querySelector("li:last-child");
        if (last) last.remove();
      }
    });
    list.addEventListener("mousedown", function (event) {
      const option = event.target instanceof Element && event.target.closest("[role=option]");
      if (option) { event.preventDefault(); choose(option); }
    });
    chips.addEventListener("click", function (event) {
      const remove = event.target instanceof Element && event.target.closest(".chip-remove");
      if (remove) { remove.closest("li").remove(); input.focus(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function enhance(scope) {
    scope.querySelectorAll("[data-combobox]").forEach(setupCombobox);
    // Copy buttons only work with this script, so they only show with it.
    scope.querySelectorAll("button[data-copy]").forEach(function (button) { button.hidden = false; });
  }
  // --- folds: sections a phone shows as one line each (details.fold[data-open-wide]) ----------
  // They come open from the server, so nothing is hidden without this script; on a narrow screen
  // they fold, and open again when the screen widens. The section the address points into
  // (#milestones after recording one, #strength from the person's head) stays or comes open.
  const wide = window.matchMedia("(min-width: 901px)");
  function pointedAt() {
    if (location.hash.length < 2) return null;
    try { return document.getElementById(decodeURIComponent(location.hash.slice(1))); } catch (e) { return null; }
  }
  function fold(scope) {
    const target = pointedAt();
    scope.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.open = wide.matches || (target !== null && details.contains(target));
    });
  }
  wide.addEventListener("change", function () { fold(document); });
  window.addEventListener("hashchange", function () {
    const target = pointedAt();
    const details = target && target.closest("details[data-open-wide]");
    if (details && !details.open) { details.open = true; target.scrollIntoView(); }
  });
  fold(document);

  // --- toasts: a message after an action leaves by itself unless the pointer or focus is on it --
  function toast(scope) {
    scope.querySelectorAll("#messages .notice:not([data-toast])").forEach(function (notice) {
      notice.setAttribute("data-toast", "");
      let timer = null;
      const leave = function () { if (!notice.matches(":hover, :focus-within")) notice.remove(); };
      const arm = function () { clearTimeout(timer); timer = setTimeout(leave, notice.classList.contains("error") ? 20000 : 10000); };
      notice.addEventListener("mouseleave", arm);
      notice.addEventListener("focusout", arm);
      arm();
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); toast(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); fold(event.target); toast(document); });

  // --- copying a read-only value (the calendar URL) -------------------------------------------
  document.addEventListener("click", function (event) {
    const button = event.target instanceof Element && event.target.closest("button[data-copy]");
    if (!button) return;
    const input = document.getElementById(button.dataset.copy);
    if (!input) return;
    const field = button.closest(".field");
    const status = field && field.querySelector(".copy-status");
    input.focus();
    input.select();
    function said(copied) {
      if (status) status.textContent = copied ? "Copied." : "Selected: press Ctrl+C (or ⌘C) to copy.";
    }
    function fallback() {
      try { said(document.execCommand("copy")); } catch (e) { said(false); }
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () { said(true); }, fallback);
    } else {
      fallback();
    }
  });
  document.addEventListener("focusin", function (event) {
    const input = event.target instanceof Element && event.target.closest("input[data-select-all]");
    if (input) input.select();
  });

  // --- behaviours that used to be inline hx-on handlers, which the Content-Security-Policy forbids ---
  // htmx runs no code from attributes (allowEval is off): say so loudly if a template asks it to.
  document.addEventListener("htmx:evalDisallowedError", function (event) {
    console.error("Kithkin: htmx was asked to run code from an attribute, which the Content-Security-Policy forbids", event.target);
  });

  // People: the filters ask for results when a select or checkbox changes (typing in the search
  // box has its own trigger), and leave empty fields out of the URL.
  document.addEventListener("change", function (event) {
    const form = event.target instanceof Element && event.target.closest("form[data-filters]");
    if (form && event.target.type !== "search" && window.htmx) htmx.trigger(form, "filters-changed");
  });
  document.addEventListener("htmx:configRequest", function (event) {
    if (!(event.target instanceof Element) || !event.target.matches("[data-drop-empty]")) return;
    const params = event.detail.parameters;
    for (const [name, value] of [...params.entries()]) { if (value === "") { delete params[name]; } }
  });

  // People: "select all on this page" ticks the boxes, the count follows, and ticking opens the edit panel.
  document.addEventListener("change", function (event) {
    const box = event.target;
    const form = box instanceof Element && box.closest("form[data-bulk-select]");
    if (!form) return;
    const boxes = Array.from(form.querySelectorAll("input[name=ids]"));
    const page = form.querySelector("[data-select-page]");
    if (box.matches("[data-select-page]")) { boxes.forEach(function (b) { b.checked = box.checked; }); }
    else if (box.name === "ids") { if (page) page.checked = boxes.every(function (b) { return b.checked; }); }
    else { return; }
    const n = boxes.filter(function (b) { return b.checked; }).length;
    const said = form.querySelector("[data-selected]");
    if (said) said.textContent = n ? n + " selected" : "";
    const panel = form.querySelector("details.bulk-edit");
    if (n && panel) panel.open = true;
  });

  // Possible duplicates: after a merge, the other pairs with the person merged away are out of
  // date; they say so and lose their buttons.
  function markStalePairs(scope) {
    const done = scope.matches && scope.matches("[data-dropped]") ? [scope] : Array.from(scope.querySelectorAll("[data-dropped]"));
    done.forEach(function (item) {
      const dropped = item.dataset.dropped;
      document.querySelectorAll("[data-people]").forEach(function (row) {
        if (row === item || !row.dataset.people.split(/\s+/).includes(dropped)) return;
        row.classList.add("is-stale");
        const note = row.querySelector(".stale-note");
        if (note) note.hidden = false;
        row.querySelectorAll(".pair-actions, .pair-confirm").forEach(function (el) { el.remove(); });
      });
    });
  }
  document.addEventListener("htmx:load", function (event) { if (event.target instanceof Element) markStalePairs(event.target); });

  // Ctrl+Enter (or Cmd+Enter) saves the form you are typing in.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    const form = event.target instanceof Element && event.target.closest("form");
    if (form) { event.preventDefault(); form.requestSubmit(); }
  });

  // Keyboard users keep their place: a saved profile section hands focus back to its Edit link.
  document.addEventListener("htmx:afterSettle", function (event) {
    const target = event.detail && event.detail.elt;
    if (!(target instanceof Element)) return;
    const section = document.querySelector(".profile-section[data-saved]");
    if (section) {
      section.removeAttribute("data-saved");
      const edit = section.querySelector(".edit-link");
      if (edit) edit.focus();
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
