// Shared by every page: the text-size toggle. Loaded in <head> (not deferred) so the
// saved size applies before the first paint.
"use strict";

(function () {
  var KEY = "troly.textSize";
  var SIZES = [
    { value: "", label: "Cỡ chữ: Vừa" },
    { value: "lon", label: "Cỡ chữ: Lớn" },
    { value: "rat-lon", label: "Cỡ chữ: Rất lớn" },
  ];
  var root = document.documentElement;

  function saved() {
    try {
      return window.localStorage.getItem(KEY) || "";
    } catch (e) {
      return ""; // storage disabled: default size
    }
  }

  function apply(value) {
    if (value) root.setAttribute("data-text-size", value);
    else root.removeAttribute("data-text-size");
  }

  function index(value) {
    for (var i = 0; i < SIZES.length; i += 1) if (SIZES[i].value === value) return i;
    return 0;
  }

  function label(button) {
    var size = SIZES[index(root.getAttribute("data-text-size") || "")];
    button.textContent = size.label;
    button.setAttribute("aria-pressed", size.value ? "true" : "false");
  }

  apply(SIZES[index(saved())].value);

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-text-size-toggle]"), function (button) {
      label(button);
      button.addEventListener("click", function () {
        var next = SIZES[(index(root.getAttribute("data-text-size") || "") + 1) % SIZES.length].value;
        apply(next);
        try {
          window.localStorage.setItem(KEY, next);
        } catch (e) {
          /* not saved: still applies on this page */
        }
        Array.prototype.forEach.call(document.querySelectorAll("[data-text-size-toggle]"), label);
      });
    });
  });
})();
