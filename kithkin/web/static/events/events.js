// The event page's Print button: it needs this script, so it only shows with it.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-print]").forEach(function (button) { button.hidden = false; });
  });
  document.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest("button[data-print]")) window.print();
  });
})();
