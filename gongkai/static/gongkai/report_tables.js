/* Live totals on the annual report's table form (workbench). No inline scripts: the CSP forbids them.
 *
 * Inputs carry data-cell="table3.<row>.<column>" / "table4.<group>.<column>". Computed inputs
 * (data-computed) are the 总计 column and the （七）总计 row of table 3 and the 总计 of table 4; the
 * server recomputes them on save, this only shows them while typing. A blank or non-numeric part
 * leaves its total blank, as the saved report would.
 */
(function () {
  "use strict";

  var form = document.getElementById("report-form");
  if (!form) {
    return;
  }

  function inputs(selector) {
    return Array.prototype.slice.call(form.querySelectorAll(selector));
  }

  function parse(value) {
    var text = (value || "").replace(/[\uff10-\uff19]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }).replace(/,/g, "").trim();
    if (!/^\d+$/.test(text)) {
      return null;
    }
    return parseInt(text, 10);
  }

  function sum(list) {
    var total = 0;
    for (var i = 0; i < list.length; i += 1) {
      var value = parse(list[i].value);
      if (value === null) {
        return "";
      }
      total += value;
    }
    return String(total);
  }

  function recompute() {
    // Table 3: each row's 总计 from its six applicant columns.
    inputs('[data-cell^="table3."][data-computed]').forEach(function (input) {
      var parts = input.getAttribute("data-cell").split(".");
      if (parts[2] !== "total" || parts[1] === "total_processed") {
        return;
      }
      input.value = sum(inputs('[data-cell^="table3.' + parts[1] + '."]:not([data-computed])'));
    });
    // Table 3: （七）总计 from the result rows, column by column (总计 column included).
    inputs('[data-cell^="table3.total_processed."]').forEach(function (input) {
      var column = input.getAttribute("data-cell").split(".")[2];
      input.value = sum(inputs('[data-result-row][data-cell$=".' + column + '"]'));
    });
    // Table 4: each group's 总计 from 结果维持、结果纠正、其他结果、尚未审结.
    inputs('[data-cell^="table4."][data-computed]').forEach(function (input) {
      var group = input.getAttribute("data-cell").split(".")[1];
      input.value = sum(inputs('[data-cell^="table4.' + group + '."]:not([data-computed])'));
    });
  }

  form.addEventListener("input", function (event) {
    if (event.target && event.target.hasAttribute && event.target.hasAttribute("data-cell")) {
      recompute();
    }
  });
  recompute();
})();
