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
})();
