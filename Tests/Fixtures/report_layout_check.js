// Injected by ReportBrowserTests into a page that shows a report in an iframe (srcdoc,
// so same origin) of the width under test; the report itself has no script. Measures
// what Chromium drew and writes a JSON verdict into #verdict, which --dump-dom returns.
window.addEventListener('load', function () {
  var verdict = { problems: [] };
  function problem(text) { verdict.problems.push(text); }
  function inside(r, box) {
    return r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
  }
  function overlap(a, b) {
    return a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  }
  try {
    var frame = document.getElementById('report');
    var doc = frame.contentDocument;
    var root = doc.documentElement;
    verdict.width = frame.contentWindow.innerWidth;
    verdict.pageScrollWidth = root.scrollWidth;
    if (root.scrollWidth > root.clientWidth + 1) problem('the page scrolls sideways: ' + root.scrollWidth + ' > ' + root.clientWidth);
    verdict.scripts = doc.querySelectorAll('script').length;
    verdict.charts = 0; verdict.bars = 0; verdict.texts = 0;
    verdict.chartWidths = [];
    doc.querySelectorAll('svg.chart').forEach(function (svg) {
      var name = svg.closest('section').id;
      var box = svg.getBoundingClientRect();
      verdict.charts++;
      verdict.chartWidths.push(Math.round(box.width));
      var bars = svg.querySelectorAll('rect.bar');
      var expected = parseInt(svg.getAttribute('data-bars'), 10);
      if (!(expected > 0) || bars.length !== expected) problem(name + ': ' + bars.length + ' bars drawn, ' + expected + ' expected');
      bars.forEach(function (bar) {
        var r = bar.getBoundingClientRect();
        verdict.bars++;
        if (parseFloat(bar.getAttribute('data-value')) > 0 && (r.width <= 0 || r.height <= 0)) problem(name + ': an invisible bar for a positive value');
        if (!inside(r, box)) problem(name + ': a bar leaves the chart');
      });
      var texts = Array.prototype.map.call(svg.querySelectorAll('text'), function (t) {
        return { text: t.textContent, r: t.getBoundingClientRect(), size: parseFloat(getComputedStyle(t).fontSize) * box.width / svg.viewBox.baseVal.width };
      });
      texts.forEach(function (a, i) {
        verdict.texts++;
        if (a.r.width <= 0 || a.r.height <= 0) problem(name + ': "' + a.text + '" is not drawn');
        if (!inside(a.r, box)) problem(name + ': "' + a.text + '" leaves the chart');
        if (a.size < 8) problem(name + ': "' + a.text + '" is drawn at ' + a.size.toFixed(1) + ' px');
        for (var j = i + 1; j < texts.length; j++) {
          if (overlap(a.r, texts[j].r)) problem(name + ': "' + a.text + '" overlaps "' + texts[j].text + '"');
        }
      });
    });
    verdict.cells = Array.prototype.map.call(doc.querySelectorAll('td, h1, svg text'), function (e) { return e.textContent; });
    verdict.tooltips = Array.prototype.map.call(doc.querySelectorAll('svg g.item > title'), function (e) { return e.textContent; });
  } catch (error) {
    problem('the check failed: ' + error);
  }
  document.getElementById('verdict').textContent = JSON.stringify(verdict);
});
