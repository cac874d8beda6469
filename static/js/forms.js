// Forms people finish (enrolment, profile). Progressive: without this file every field shows and a
// plain multiple-choice list stands in for the searchable picker.
(function () {
  "use strict";

  var pickerStyle = document.currentScript ? document.currentScript.getAttribute("data-picker-style") : "";

  // A searchable picker for long lists (184 languages): tom-select, vendored. Its words come from the
  // page (data-*), which Django translates.
  function searchable(select) {
    if (typeof TomSelect === "undefined") {
      return;
    }
    var none = select.getAttribute("data-no-results") || "";
    var label = document.querySelector('label[for="' + select.id + '"]'); // before tom-select moves it
    var picker = new TomSelect(select, {
      plugins: { remove_button: { title: select.getAttribute("data-remove") || "" } },
      maxOptions: null,
      // Kept visible: a hidden typing box refuses a paste (tom-select), and people paste language names.
      hidePlaceholder: false,
      closeAfterSelect: true,
      placeholder: select.getAttribute("data-placeholder") || "",
      render: {
        no_results: function () {
          var div = document.createElement("div");
          div.className = "no-results";
          div.textContent = none;
          return div;
        },
      },
    });
    // The typing box is the picker's one control: it carries the field's label and help.
    var input = picker.control_input;
    if (label) {
      label.id = label.id || select.id + "-label";
      label.setAttribute("for", input.id);
      select.setAttribute("aria-labelledby", label.id); // the hidden <select> keeps its name too
    }
    var help = select.getAttribute("aria-describedby");
    if (help) {
      input.setAttribute("aria-describedby", help);
    }
  }

  // The enrolment form shows the chosen role's fields only (data-for-role on the field's input).
  function followRole(form) {
    var radios = form.querySelectorAll('input[name="role"]');
    if (!radios.length) {
      return;
    }
    function apply() {
      var chosen = form.querySelector('input[name="role"]:checked');
      var role = chosen ? chosen.value : radios.length === 1 ? radios[0].value : "";
      form.querySelectorAll("[data-for-role]").forEach(function (input) {
        var wrapper = input.closest('[id^="div_id_"]') || input;
        wrapper.hidden = input.getAttribute("data-for-role") !== role;
      });
    }
    radios.forEach(function (radio) {
      radio.addEventListener("change", apply);
    });
    apply();
  }

  // The picker's stylesheet, added once the page is up (never blocking its first paint); the pickers
  // start when it has loaded, so nobody sees one half-styled.
  function withPickerStyle(start) {
    if (!pickerStyle) {
      start();
      return;
    }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = pickerStyle;
    link.addEventListener("load", start);
    link.addEventListener("error", start);
    document.head.appendChild(link);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-role-fields]").forEach(followRole);
    var selects = document.querySelectorAll("select[data-searchable]");
    if (selects.length) {
      withPickerStyle(function () {
        selects.forEach(searchable);
      });
    }
  });
})();
