/* The supervising office's dashboard charts. Reads the JSON data block written by json_script
 * (id "supervision-chart-data") and draws, with ECharts:
 *   - #chart-trend: items published per month, one line per agency;
 *   - #chart-compare: published / late / stale columns / empty columns per agency (bars).
 * No inline script: the CSP allows only scripts from this site. */
(function () {
  "use strict";

  function readData() {
    var block = document.getElementById("supervision-chart-data");
    if (!block) { return null; }
    try { return JSON.parse(block.textContent); } catch (e) { return null; }
  }

  function draw(id, option) {
    var element = document.getElementById(id);
    if (!element || typeof echarts === "undefined") { return null; }
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option);
    element.setAttribute("data-chart-ready", "1");
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function init() {
    var data = readData();
    if (!data) { return; }
    draw("chart-trend", {
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 40, right: 16, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", minInterval: 1, name: "条" },
      series: data.trend.map(function (row) {
        return { name: row.name, type: "line", data: row.data, smooth: false };
      })
    });
    draw("chart-compare", {
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 40, bottom: 50 },
      xAxis: { type: "category", data: data.agencies, axisLabel: { interval: 0, rotate: 20 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "本年发布", type: "bar", data: data.published },
        { name: "超期发布", type: "bar", data: data.late },
        { name: "未更新栏目", type: "bar", data: data.stale },
        { name: "空白栏目", type: "bar", data: data.empty },
        { name: "超期未答复申请", type: "bar", data: data.overdue }
      ]
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
