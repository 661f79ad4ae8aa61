/* Small progressive enhancements; every page works without them. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // Action pickers: show only the data picker the chosen action type needs.
  function setUpActionPickers(root) {
    var kindsEl = document.getElementById("action-kinds");
    if (!kindsEl) return;
    var kinds = JSON.parse(kindsEl.textContent);
    root.querySelectorAll("[data-action-picker]").forEach(function (picker) {
      var select = picker.querySelector("select");
      if (!select) return;
      function update() {
        var kind = kinds[select.value] || "";
        picker.querySelectorAll(".picker").forEach(function (p) {
          p.hidden = p.getAttribute("data-kind") !== kind;
        });
        var key = picker.closest(".keypad-key");
        if (key) key.classList.toggle("is-set", !!select.value);
      }
      select.addEventListener("change", update);
      update();
    });
  }

  // Schedule rows: "Add a time range" clones the formset's empty row.
  function setUpFormsets() {
    document.querySelectorAll("form[data-formset]").forEach(function (form) {
      var prefix = form.getAttribute("data-formset");
      var total = form.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
      var template = form.querySelector("template[data-empty-row]");
      var rows = form.querySelector("[data-rows]");
      var add = form.querySelector("[data-add-row]");
      if (!total || !template || !rows || !add) return;
      add.addEventListener("click", function () {
        var index = parseInt(total.value, 10);
        var html = template.innerHTML.replace(/__prefix__/g, String(index));
        rows.insertAdjacentHTML("beforeend", html);
        total.value = String(index + 1);
        var row = rows.lastElementChild;
        row.id = prefix + "-row-" + index;
        var first = row.querySelector("select, input");
        if (first) first.focus();
      });
    });
  }

  // Announcement form: show the text-to-speech or the file fields, as the type says.
  function setUpAnnouncementForm() {
    var form = document.querySelector("[data-announcement-form]");
    if (!form) return;
    function update() {
      var checked = form.querySelector("input[name='type']:checked");
      var type = checked ? checked.value : "";
      form.querySelectorAll("fieldset[data-type]").forEach(function (fs) {
        fs.hidden = type !== "" && fs.getAttribute("data-type") !== type;
      });
    }
    form.querySelectorAll("input[name='type']").forEach(function (r) {
      r.addEventListener("change", update);
    });
    update();
  }

  // Simulator: typing 0-9, * or # outside a text field presses that key.
  function setUpSimulator() {
    var form = document.querySelector("[data-simulator]");
    if (!form) return;
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      var button = form.querySelector("button[name='press'][value='" + CSS.escape(event.key) + "']");
      if (button) {
        event.preventDefault();
        button.click();
      }
    });
  }

  // On a phone the navigation folds behind a "Menu" disclosure button; Escape folds it again.
  function setUpNavToggle() {
    var button = document.querySelector("[data-nav-toggle]");
    var panel = document.querySelector("[data-nav-panel]");
    if (!button || !panel) return;
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      panel.classList.toggle("is-open", open);
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
      if (getComputedStyle(button).display === "none") return; // desktop: nothing is folded
      setOpen(false);
      button.focus();
    });
  }

  // A refused form: focus goes to the error summary, and each of its links to the field it
  // names, with the field's label scrolled into view above it (GOV.UK's error summary).
  function setUpErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      var picker = field.closest(".picker[hidden]");
      if (picker) picker.hidden = false;
      // The field with its label — on the keypad, the whole key, so its number shows too.
      var context = field.closest(".keypad-key") || field.closest(".field, fieldset") || field;
      context.scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
    });
    summary.focus();
  }

  ready(function () {
    setUpNavToggle();
    setUpErrorSummary();
    setUpActionPickers(document);
    setUpFormsets();
    setUpAnnouncementForm();
    setUpSimulator();
  });
})();
