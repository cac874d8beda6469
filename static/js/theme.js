// The colour scheme follows the person's system setting (light or dark), before the page is painted:
// loaded in <head> without defer, so no page flashes white at night. Bootstrap 5.3 reads data-bs-theme.
(function () {
  "use strict";
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function apply() {
    document.documentElement.setAttribute("data-bs-theme", dark && dark.matches ? "dark" : "light");
  }
  apply();
  if (dark && dark.addEventListener) {
    dark.addEventListener("change", apply);
  }
})();
