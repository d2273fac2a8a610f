// Introductions: each person picker is quick capture's combobox (kithkin.js), holding one person
// sent as `a` or `b`. Without this script the typed names are read by the server instead.
(function () {
  "use strict";

  function watch(root) {
    if (root.dataset.pickReady) return;
    root.dataset.pickReady = "1";
    const key = root.dataset.introPick;
    const chips = root.querySelector(".chips");
    function tidy() {
      chips.querySelectorAll("input[name=person]").forEach(function (input) { input.name = key; });
      chips.querySelectorAll("input[name=new]").forEach(function (input) { input.name = key + "_new"; });
      // A later pick replaces the earlier one: A and B are one person each.
      const all = chips.querySelectorAll(".chip");
      for (let i = 0; i < all.length - 1; i++) all[i].remove();
    }
    new MutationObserver(tidy).observe(chips, { childList: true });
    tidy();
  }

  function enhance(scope) { scope.querySelectorAll("[data-intro-pick]").forEach(watch); }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
