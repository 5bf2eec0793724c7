// PromptForge dashboard: charts, project switcher and the small behaviours htmx does not cover.
// Loaded as a file (the Content-Security-Policy allows no inline script); data comes from data-* attributes.
(function () {
  'use strict';

  var palette = ['#2a7de1', '#b42318', '#1e7b45', '#a15c07', '#5b2a9e', '#0f766e', '#64748b'];

  function time(t) {
    var d = new Date(t);
    return d.toISOString().slice(5, 16).replace('T', ' ');
  }

  function lineOption(data, series, yName) {
    return {
      color: palette,
      animation: false,
      grid: { left: 56, right: 16, top: 28, bottom: 28 },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      legend: { top: 0, data: series.map(function (s) { return s.name; }) },
      xAxis: { type: 'category', data: data.t.map(time), axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', name: yName, nameGap: 8, minInterval: series.integer ? 1 : 0 },
      series: series.map(function (s) {
        return { name: s.name, type: s.type || 'line', data: s.data, showSymbol: s.type !== 'bar', symbolSize: 4, connectNulls: true, areaStyle: s.area ? {} : undefined };
      })
    };
  }

  var builders = {
    traffic: function (d) { return lineOption(d, [{ name: 'requests', type: 'bar', data: d.requests }, { name: 'errors', type: 'bar', data: d.errors }], ''); },
    latency: function (d) { return lineOption(d, [{ name: 'p50', data: d.p50 }, { name: 'p95', data: d.p95 }], 'ms'); },
    tokens: function (d) { return lineOption(d, [{ name: 'tokens', data: d.tokens, area: true }], ''); },
    cost: function (d) { return lineOption(d, [{ name: 'cost', data: d.cost, area: true }], 'USD'); },
    // A generic chart: data-series holds a complete ECharts option (built on the server from records).
    option: function (d) { d.color = d.color || palette; d.animation = false; if (d.tooltip) { d.tooltip.renderMode = 'richText'; } return d; }
  };

  function drawCharts(root) {
    if (typeof echarts === 'undefined') { return; }
    (root || document).querySelectorAll('[data-chart]').forEach(function (el) {
      var build = builders[el.getAttribute('data-chart')];
      var raw = el.getAttribute('data-series');
      if (!build || !raw) { return; }
      var existing = echarts.getInstanceByDom(el);
      if (existing) { existing.dispose(); }
      var chart = echarts.init(el, null, { renderer: 'canvas' });
      chart.setOption(build(JSON.parse(raw)));
      el.setAttribute('data-drawn', 'true');
    });
  }

  function resizeCharts() {
    if (typeof echarts === 'undefined') { return; }
    document.querySelectorAll('[data-drawn]').forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (chart) { chart.resize(); }
    });
  }

  function wireSwitcher() {
    var select = document.querySelector('select[data-navigate]');
    if (!select) { return; }
    select.addEventListener('change', function () {
      window.location.href = select.getAttribute('data-navigate') + encodeURIComponent(select.value);
    });
  }

  // Elements with data-confirm ask before their form is submitted.
  function wireConfirms() {
    document.querySelectorAll('form[data-confirm]').forEach(function (form) {
      form.addEventListener('submit', function (e) {
        if (!window.confirm(form.getAttribute('data-confirm'))) { e.preventDefault(); }
      });
    });
  }

  // A select with data-autosubmit submits its form on change (e.g. the compare page's prompt); the
  // form's version selects belong to the old choice, so they are left out.
  function wireAutosubmit() {
    document.querySelectorAll('select[data-autosubmit]').forEach(function (select) {
      select.addEventListener('change', function () {
        select.form.querySelectorAll('select[data-version-select]').forEach(function (s) { s.disabled = true; });
        select.form.submit();
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    drawCharts(document);
    wireSwitcher();
    wireConfirms();
    wireAutosubmit();
    window.addEventListener('resize', resizeCharts);
    document.body.addEventListener('htmx:afterSettle', function (e) { drawCharts(e.target); });
  });

  window.PromptForge = { drawCharts: drawCharts };
})();
