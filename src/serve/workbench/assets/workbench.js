// The workbench's one script, loaded from the server (no inline script):
// buttons that fold and unfold every node of an explanation's tree.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-fold]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      var open = b.getAttribute("data-fold") === "open";
      var tree = document.getElementById(b.getAttribute("aria-controls"));
      if (!tree) return;
      tree.querySelectorAll("details").forEach(function (d) { d.open = open; });
    });
  });
});
