// A text box that filters the options of a <select multiple data-filterable="true"> (the policy
// documents a 政策解读 interprets). Selected options always stay visible. Without scripts the plain
// multiple select works as it is.
(function () {
  "use strict";
  function attach(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = "输入名称或文号筛选";
    box.setAttribute("aria-label", "筛选：" + (select.labels && select.labels[0] ? select.labels[0].textContent : "选项"));
    box.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var needle = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        var match = !needle || option.selected || option.text.toLowerCase().indexOf(needle) !== -1;
        option.hidden = !match;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll('select[data-filterable="true"]').forEach(attach);
  });
})();
