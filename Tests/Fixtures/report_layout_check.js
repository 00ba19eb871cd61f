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
    // Page elements against the viewport (a table scrolls inside its own box).
    var viewport = root.clientWidth;
    verdict.boxes = 0;
    doc.querySelectorAll('header, main, section, h1, h2, p, dl, dd, nav, li, figure, svg.chart, .table-wrap').forEach(function (e) {
      var r = e.getBoundingClientRect();
      verdict.boxes++;
      if (r.left < -1 || r.right > viewport + 1) problem(e.tagName.toLowerCase() + ' "' + e.textContent.slice(0, 40) + '" spans ' + Math.round(r.left) + '-' + Math.round(r.right) + ' px of ' + viewport);
    });
    // Text cut by its box, and words broken in the middle although they fit a line whole.
    verdict.words = 0;
    doc.querySelectorAll('h1, h2, p, li, dt, dd, th, td').forEach(function (e) {
      if (e.scrollWidth > e.clientWidth + 1) problem(e.tagName.toLowerCase() + ' "' + e.textContent.slice(0, 40) + '" is cut');
      var style = getComputedStyle(e);
      var room = e.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      var walker = doc.createTreeWalker(e, NodeFilter.SHOW_TEXT);
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        var pattern = /[^\s\-\u2010-\u2014]+[\-\u2010-\u2014]?/g, match;  // a hyphen ends a word: a line may break after it
        while ((match = pattern.exec(node.data)) !== null) {
          var range = doc.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          var rects = Array.prototype.filter.call(range.getClientRects(), function (r) { return r.width > 0; });
          verdict.words++;
          if (rects.length < 2) continue;
          var tops = rects.map(function (r) { return Math.round(r.top); });
          var width = rects.reduce(function (sum, r) { return sum + r.width; }, 0);
          if (Math.max.apply(null, tops) - Math.min.apply(null, tops) > 2 && width <= room + 1) {
            problem('"' + match[0] + '" (' + Math.round(width) + ' px) breaks mid-word in a ' + e.tagName.toLowerCase() + ' ' + Math.round(room) + ' px wide');
          }
        }
      }
    });
    // Column, hour and trend charts shorten no label (bars do, with the full one in the tooltip).
    doc.querySelectorAll('svg.chart-columns text.label, svg.chart-hours text.label, svg.chart-trend text.label').forEach(function (t) {
      if (/…$/.test(t.textContent)) problem(t.closest('section').id + ': the label "' + t.textContent + '" is cut');
    });
    verdict.summary = Array.prototype.map.call(doc.querySelectorAll('dl.summary div'), function (e) {
      return [e.querySelector('dt').textContent, e.querySelector('dd').textContent];
    });
    verdict.headings = Array.prototype.map.call(doc.querySelectorAll('section.query h2'), function (e) { return e.textContent; });
    verdict.nav = Array.prototype.map.call(doc.querySelectorAll('nav li a'), function (e) { return e.textContent; });
    verdict.cells = Array.prototype.map.call(doc.querySelectorAll('td, h1, svg text'), function (e) { return e.textContent; });
    verdict.tooltips = Array.prototype.map.call(doc.querySelectorAll('svg g.item > title'), function (e) { return e.textContent; });
  } catch (error) {
    problem('the check failed: ' + error);
  }
  document.getElementById('verdict').textContent = JSON.stringify(verdict);
});
