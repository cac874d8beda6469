// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";

  // On sign-up, propose the browser's time zone; people can change it on their profile.
  document.addEventListener("DOMContentLoaded", function () {
    var field = document.querySelector('input[type="hidden"][name="timezone"]');
    if (!field || field.value) {
      return;
    }
    try {
      field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      // Old browsers: the site default applies.
    }
  });

  // A conversation guide's prompt (guides/_prompt.html): "Use this starter" adds its text to the reply
  // box; "Not now" hides it. Without this file the prompt is simply text to read.
  document.addEventListener("click", function (event) {
    var insert = event.target.closest("[data-insert-into]");
    if (insert) {
      var box = document.getElementById(insert.getAttribute("data-insert-into"));
      if (box) {
        var text = insert.getAttribute("data-text") || "";
        box.value = box.value ? box.value.replace(/\s*$/, "") + "\n\n" + text : text;
        box.focus();
        box.dispatchEvent(new Event("input", { bubbles: true })); // the draft is saved as if typed
      }
      return;
    }
    var dismiss = event.target.closest("[data-dismiss-prompt]");
    if (dismiss) {
      var prompt = dismiss.closest("[data-prompt]");
      if (prompt) {
        prompt.remove();
      }
    }
  });
})();
