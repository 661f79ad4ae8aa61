/* The weekly schedule painter (templates/console/schedule.html).

   A grid of 7 days × 48 half hours drawn from the rows of the weekly form, painted with the
   mouse, touch or the keyboard, and written back into those rows: the form posts them as it
   always has, so the server sees exactly what the list would send. Without JavaScript the page
   keeps its read-only week and the list; the list also stays the place for times to the minute
   (a day is rewritten in half hours only when it is painted). */
(function () {
  "use strict";

  var SLOTS = 48;
  var DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
  var SHORT = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  var FIRST_SHOWN = 16; // 08:00: where a grid too wide for the screen starts scrolled to

  function hhmm(minutes) {
    var h = Math.floor(minutes / 60);
    var m = minutes % 60;
    return (h < 10 ? "0" : "") + h + ":" + (m < 10 ? "0" : "") + m;
  }

  // HH:MM as the schedule service takes it: a start up to 23:59, an end up to 24:00.
  function parseTime(value, isEnd) {
    var match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
    if (match) return parseInt(match[1], 10) * 60 + parseInt(match[2], 10);
    return isEnd && value === "24:00" ? 1440 : null;
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function blankWeek() {
    var week = [];
    for (var d = 0; d < 7; d++) {
      var day = [];
      for (var s = 0; s < SLOTS; s++) day.push("");
      week.push(day);
    }
    return week;
  }

  function copyWeek(week) {
    return week.map(function (day) {
      return day.slice();
    });
  }

  function setUp() {
    var host = document.querySelector("[data-week-painter]");
    var form = document.getElementById("weekly-form");
    var data = document.getElementById("week-menus");
    if (!host || !form || !data) return;
    var menuList = JSON.parse(data.textContent);
    if (!menuList.length) return;
    var menus = {};
    menuList.forEach(function (m) {
      menus[m.sid] = m;
    });
    var prefix = form.getAttribute("data-formset");
    var rowsEl = form.querySelector("[data-rows]");
    var template = form.querySelector("template[data-empty-row]");
    var total = form.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var initial = form.querySelector("input[name='" + prefix + "-INITIAL_FORMS']");
    var saveState = form.querySelector("[data-save-state]");
    var numbered = new RegExp(prefix + "-(\\d+|__prefix__)-", "g");

    // --- the rows of the form --------------------------------------------------------------

    function field(li, suffix) {
      return li.querySelector("[name$='-" + suffix + "']");
    }

    function readRows() {
      return Array.prototype.map.call(rowsEl.children, function (li) {
        var menu = field(li, "menu");
        var day = field(li, "day");
        var start = field(li, "start_time");
        var end = field(li, "end_time");
        var remove = field(li, "DELETE");
        var row = {
          li: li,
          menu: menu ? menu.value : "",
          day: day ? parseInt(day.value, 10) : NaN,
          startText: start ? start.value.trim() : "",
          endText: end ? end.value.trim() : "",
          deleted: !!(remove && remove.checked),
        };
        row.start = parseTime(row.startText, false);
        row.end = parseTime(row.endText, true);
        row.blank = !row.menu && !row.startText && !row.endText;
        row.valid =
          !row.deleted &&
          !!menus[row.menu] &&
          row.day >= 1 &&
          row.day <= 7 &&
          row.start !== null &&
          row.end !== null;
        // A range that ends before it starts runs on past midnight into the next day.
        row.spills = row.valid && row.end <= row.start && row.end > 0;
        return row;
      });
    }

    // The half hours each row covers, as the engine plays it (a half hour shows the menu that
    // answers at least half of it: 08:15-17:45 shows as 08:00-18:00).
    function weekFrom(rows) {
      var week = blankWeek();
      rows.forEach(function (row) {
        if (!row.valid) return;
        var parts = [[row.day, row.start, row.end > row.start ? row.end : 1440]];
        if (row.spills) parts.push([(row.day % 7) + 1, 0, row.end]);
        parts.forEach(function (part) {
          for (var s = 0; s < SLOTS; s++) {
            var covered = Math.min(part[2], s * 30 + 30) - Math.max(part[1], s * 30);
            if (covered >= 15) week[part[0] - 1][s] = row.menu;
          }
        });
      });
      return week;
    }

    function newRow(menu, day, start, end) {
      var li = template.content.querySelector("li").cloneNode(true);
      field(li, "menu").value = menu;
      field(li, "day").value = String(day);
      field(li, "start_time").value = hhmm(start);
      field(li, "end_time").value = hhmm(end);
      return li;
    }

    // Rows in day and time order, numbered 0…n-1 as the formset reads them.
    function renumber(items) {
      items.forEach(function (item, i) {
        rowsEl.appendChild(item.li);
        item.li.id = prefix + "-row-" + i;
        item.li.querySelectorAll("*").forEach(function (node) {
          ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
            var value = node.getAttribute(attr);
            if (value && value.indexOf(prefix + "-") !== -1) {
              node.setAttribute(attr, value.replace(numbered, prefix + "-" + i + "-"));
            }
          });
        });
      });
      total.value = String(items.length);
      // Every row is read as a new one: a blank row is skipped, a filled one checked.
      initial.value = "0";
    }

    // Write ``week`` into the form: the rows of the days that changed are replaced by one row
    // per run of half hours; other days keep their rows (and their exact minutes) as they are.
    // Returns the names of the days whose exact minutes were rounded to the half hour.
    function writeRows(week, changed) {
      var rows = readRows();
      var grown = true;
      while (grown) {
        // A range past midnight belongs to two days: rewrite both or neither.
        grown = false;
        rows.forEach(function (row) {
          if (!row.spills) return;
          var a = row.day - 1;
          var b = row.day % 7;
          if (changed[a] !== changed[b]) {
            changed[a] = changed[b] = true;
            grown = true;
          }
        });
      }
      var items = [];
      var rounded = {};
      rows.forEach(function (row) {
        var rewritten = row.day >= 1 && row.day <= 7 && changed[row.day - 1];
        if (row.blank || (rewritten && (row.valid || row.deleted))) {
          if (rewritten && row.valid && (row.start % 30 || row.end % 30)) {
            rounded[DAYS[row.day - 1]] = true;
          }
          row.li.remove();
          return;
        }
        items.push({ li: row.li, day: row.valid ? row.day : 8, start: row.valid ? row.start : 0 });
      });
      for (var d = 0; d < 7; d++) {
        if (!changed[d]) continue;
        var s = 0;
        while (s < SLOTS) {
          var menu = week[d][s];
          var end = s;
          while (end < SLOTS && week[d][end] === menu) end++;
          if (menu) items.push({ li: newRow(menu, d + 1, s * 30, end * 30), day: d + 1, start: s * 30 });
          s = end;
        }
      }
      items.sort(function (a, b) {
        return a.day - b.day || a.start - b.start;
      });
      renumber(items);
      return Object.keys(rounded);
    }

    // --- the grid ----------------------------------------------------------------------------

    var brush = menuList[0].sid;
    var week = weekFrom(readRows());
    var focusAt = [0, 18]; // Monday 09:00
    var stroke = null;

    host.innerHTML = "";
    var brushes = make("fieldset", "brushes");
    brushes.appendChild(make("legend", "", "Paint with"));
    menuList.concat([{ sid: "", name: "No menu (erase)", mark: "", colour: "", ink: "" }]).forEach(
      function (m, i) {
        var label = make("label", "brush");
        var radio = make("input");
        radio.type = "radio";
        radio.name = "week-brush";
        radio.value = m.sid;
        radio.checked = i === 0;
        radio.addEventListener("change", function () {
          if (radio.checked) brush = radio.value;
        });
        var swatch = make("span", m.sid ? "swatch mark" : "swatch mark erase", m.mark);
        swatch.setAttribute("aria-hidden", "true");
        if (m.sid) {
          swatch.style.setProperty("--menu-colour", m.colour);
          swatch.style.setProperty("--menu-ink", m.ink);
        }
        label.appendChild(radio);
        label.appendChild(swatch);
        label.appendChild(document.createTextNode(m.name));
        brushes.appendChild(label);
      }
    );
    host.appendChild(brushes);

    var help = make(
      "p",
      "help painter-help",
      "Choose a menu, then drag over the grid to paint the half hours it answers (start on " +
        "that menu's colour to erase). Keys: arrows move, Space paints, Shift + arrow paints " +
        "as it moves. Painted days are saved in half hours; the list below takes exact minutes."
    );
    help.id = "painter-help";
    host.appendChild(help);

    var scrollBar = make("div", "painter-scroll-buttons");
    var earlier = make("button", "", "Earlier hours");
    var later = make("button", "", "Later hours");
    earlier.type = later.type = "button";
    scrollBar.appendChild(earlier);
    scrollBar.appendChild(later);
    host.appendChild(scrollBar);

    var scroller = make("div", "painter-scroll");
    var table = make("table", "painter-grid");
    table.setAttribute("role", "grid");
    table.setAttribute("aria-labelledby", "week-heading");
    table.setAttribute("aria-describedby", "painter-help");
    table.setAttribute("aria-multiselectable", "true");
    var head = table.createTHead().insertRow();
    var corner = make("th", "corner");
    corner.scope = "col";
    corner.appendChild(make("span", "visually-hidden", "Day"));
    head.appendChild(corner);
    for (var s = 0; s < SLOTS; s++) {
      var th = make("th", s % 2 ? "" : "hour-start");
      th.scope = "col";
      th.appendChild(make("span", "visually-hidden", hhmm(s * 30)));
      if (s % 2 === 0) {
        var hour = make("span", "hour", hhmm(s * 30).slice(0, 2));
        hour.setAttribute("aria-hidden", "true");
        th.appendChild(hour);
      }
      head.appendChild(th);
    }
    var body = table.createTBody();
    var cells = [];
    for (var d = 0; d < 7; d++) {
      var tr = body.insertRow();
      var name = make("th", "day");
      name.scope = "row";
      var short = make("span", "", SHORT[d]);
      short.setAttribute("aria-hidden", "true");
      name.appendChild(short);
      name.appendChild(make("span", "visually-hidden", DAYS[d]));
      tr.appendChild(name);
      var row = [];
      for (var t = 0; t < SLOTS; t++) {
        var td = make("td", t % 2 ? "" : "hour-start");
        td.setAttribute("role", "gridcell");
        td.tabIndex = -1;
        td.setAttribute("data-day", String(d));
        td.setAttribute("data-slot", String(t));
        tr.appendChild(td);
        row.push(td);
      }
      cells.push(row);
    }
    scroller.appendChild(table);
    host.appendChild(scroller);

    // A polite live region (not role=status: the page's messages keep that role to themselves).
    var status = make("p", "painter-status");
    status.setAttribute("aria-live", "polite");
    status.setAttribute("data-painter-status", "");
    host.appendChild(status);

    // The first half hour in view when the grid scrolls sideways: runs that began before it are
    // labelled there too, so a name is in view wherever the grid is scrolled.
    var firstVisible = 0;
    var shownWeek = week;

    function render(shown) {
      shownWeek = shown;
      for (var d = 0; d < 7; d++) {
        for (var s = 0; s < SLOTS; s++) {
          var td = cells[d][s];
          var sid = shown[d][s];
          var m = menus[sid];
          td.textContent = "";
          td.setAttribute("aria-selected", m ? "true" : "false");
          td.tabIndex = d === focusAt[0] && s === focusAt[1] ? 0 : -1;
          td.classList.toggle("is-set", !!m);
          var starts = !!m && (s === 0 || shown[d][s - 1] !== sid);
          td.classList.toggle("run-start", starts);
          if (m) {
            td.style.setProperty("--menu-colour", m.colour);
            td.style.setProperty("--menu-ink", m.ink);
          } else {
            td.style.removeProperty("--menu-colour");
            td.style.removeProperty("--menu-ink");
          }
          var continues = !!m && s === firstVisible && s > 0 && shown[d][s - 1] === sid;
          if (starts || continues) {
            var run = 1;
            while (s + run < SLOTS && shown[d][s + run] === sid) run++;
            var label = make("span", "run-label", run >= 3 ? m.mark + " " + m.name : m.mark);
            label.setAttribute("aria-hidden", "true");
            label.style.setProperty("--run", String(run));
            td.appendChild(label);
          }
          td.appendChild(make("span", "visually-hidden", m ? m.name : "no menu"));
        }
      }
    }

    function describe(days, slots, value) {
      var when = DAYS[days[0]] + (days[1] > days[0] ? " to " + DAYS[days[1]] : "");
      var times = hhmm(slots[0] * 30) + "–" + hhmm((slots[1] + 1) * 30);
      return when + " " + times + ": " + (value ? menus[value].name : "no menu") + ".";
    }

    // Apply a change: write the rows, redraw from them, and say what happened.
    function commit(next, message) {
      var changed = [];
      var any = false;
      for (var d = 0; d < 7; d++) {
        changed.push(next[d].join("|") !== week[d].join("|"));
        any = any || changed[d];
      }
      if (!any) {
        render(week);
        return;
      }
      var rounded = writeRows(next, changed);
      week = weekFrom(readRows());
      render(week);
      if (rounded.length) {
        message += " Exact minutes on " + rounded.join(", ") + " were rounded to the half hour.";
      }
      status.textContent = message;
      if (saveState) saveState.textContent = "Changes not saved yet.";
    }

    function paint(base, from, to, value) {
      var next = copyWeek(base);
      var days = [Math.min(from[0], to[0]), Math.max(from[0], to[0])];
      var slots = [Math.min(from[1], to[1]), Math.max(from[1], to[1])];
      for (var d = days[0]; d <= days[1]; d++) {
        for (var s = slots[0]; s <= slots[1]; s++) next[d][s] = value;
      }
      return { week: next, message: describe(days, slots, value) };
    }

    function at(node) {
      var td = node && node.closest ? node.closest("td[data-day]") : null;
      return td && table.contains(td)
        ? [parseInt(td.getAttribute("data-day"), 10), parseInt(td.getAttribute("data-slot"), 10)]
        : null;
    }

    function focusCell(pos) {
      cells[focusAt[0]][focusAt[1]].tabIndex = -1;
      focusAt = pos;
      var td = cells[pos[0]][pos[1]];
      td.tabIndex = 0;
      td.focus();
    }

    // The value a stroke starting on ``pos`` paints: the brush, or nothing when the half hour
    // already has the brush's menu (so the same gesture erases).
    function strokeValue(pos) {
      return brush && week[pos[0]][pos[1]] === brush ? "" : brush;
    }

    // --- mouse and touch: drag a rectangle ------------------------------------------------

    table.addEventListener("pointerdown", function (event) {
      var pos = at(event.target);
      if (!pos || event.button !== 0) return;
      event.preventDefault();
      focusCell(pos);
      stroke = { id: event.pointerId, from: pos, value: strokeValue(pos), last: null };
      stroke.last = paint(week, pos, pos, stroke.value);
      render(stroke.last.week);
    });
    document.addEventListener("pointermove", function (event) {
      if (!stroke || event.pointerId !== stroke.id) return;
      var pos = at(document.elementFromPoint(event.clientX, event.clientY));
      if (!pos) return;
      stroke.last = paint(week, stroke.from, pos, stroke.value);
      render(stroke.last.week);
    });
    function endStroke(event) {
      if (!stroke || event.pointerId !== stroke.id) return;
      var done = stroke;
      stroke = null;
      if (event.type === "pointercancel") render(week);
      else commit(done.last.week, done.last.message);
    }
    document.addEventListener("pointerup", endStroke);
    document.addEventListener("pointercancel", endStroke);
    table.addEventListener("focusin", function (event) {
      var pos = at(event.target);
      if (pos && (pos[0] !== focusAt[0] || pos[1] !== focusAt[1])) {
        cells[focusAt[0]][focusAt[1]].tabIndex = -1;
        focusAt = pos;
        cells[pos[0]][pos[1]].tabIndex = 0;
      }
    });

    // --- the keyboard: move, paint, paint while moving ------------------------------------

    var MOVES = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    table.addEventListener("keydown", function (event) {
      var pos = at(event.target);
      if (!pos || event.altKey || event.metaKey) return;
      var next = null;
      if (MOVES[event.key]) {
        next = [
          Math.min(6, Math.max(0, pos[0] + MOVES[event.key][0])),
          Math.min(SLOTS - 1, Math.max(0, pos[1] + MOVES[event.key][1])),
        ];
      } else if (event.key === "Home") {
        next = event.ctrlKey ? [0, 0] : [pos[0], 0];
      } else if (event.key === "End") {
        next = event.ctrlKey ? [6, SLOTS - 1] : [pos[0], SLOTS - 1];
      } else if (event.key === " " || event.key === "Enter") {
        event.preventDefault();
        var done = paint(week, pos, pos, strokeValue(pos));
        commit(done.week, done.message);
        focusCell(pos);
        return;
      } else {
        return;
      }
      event.preventDefault();
      if (event.shiftKey && MOVES[event.key]) {
        // Paint the half hour left and the one reached with the brush (or erase).
        var step = paint(paint(week, pos, pos, brush).week, next, next, brush);
        commit(step.week, describe([Math.min(pos[0], next[0]), Math.max(pos[0], next[0])],
          [Math.min(pos[1], next[1]), Math.max(pos[1], next[1])], brush));
      }
      focusCell(next);
    });

    // --- a grid wider than the screen scrolls inside its box ------------------------------

    function updateScrollButtons() {
      var overflow = scroller.scrollWidth - scroller.clientWidth;
      scrollBar.hidden = overflow <= 1;
      earlier.disabled = scroller.scrollLeft <= 1;
      later.disabled = scroller.scrollLeft >= overflow - 1;
    }
    earlier.addEventListener("click", function () {
      scroller.scrollBy({ left: -scroller.clientWidth * 0.6, behavior: "smooth" });
    });
    later.addEventListener("click", function () {
      scroller.scrollBy({ left: scroller.clientWidth * 0.6, behavior: "smooth" });
    });
    var pending = false;
    scroller.addEventListener("scroll", function () {
      updateScrollButtons();
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        // The first half hour whose left edge is clear of the sticky day names.
        var edge = cells[0][0].parentNode.cells[0].getBoundingClientRect().right - 1;
        var slot = 0;
        while (slot < SLOTS - 1 && cells[0][slot].getBoundingClientRect().left < edge) slot++;
        if (slot !== firstVisible) {
          firstVisible = slot;
          render(shownWeek);
        }
      });
    });
    window.addEventListener("resize", updateScrollButtons);

    // The list can still be edited by hand: the grid follows it.
    rowsEl.addEventListener("change", function () {
      week = weekFrom(readRows());
      render(week);
    });

    // Show the painter instead of the read-only week and its legend; fold the list away
    // unless it holds something to correct.
    render(week);
    host.hidden = false;
    var staticWeek = document.querySelector("[data-week-static]");
    var legend = document.querySelector("[data-week-legend]");
    if (staticWeek) staticWeek.hidden = true;
    if (legend) legend.hidden = true;
    var list = form.querySelector("[data-exact-times]");
    var section = form.closest("section") || form;
    if (list && !section.querySelector(".has-error, .alert.error")) list.open = false;
    var first = cells[0][FIRST_SHOWN];
    if (scroller.scrollWidth > scroller.clientWidth) {
      scroller.scrollLeft = first.offsetLeft - cells[0][0].offsetLeft;
    }
    updateScrollButtons();
  }

  if (document.readyState !== "loading") setUp();
  else document.addEventListener("DOMContentLoaded", setUp);
})();
