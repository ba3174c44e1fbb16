/* dataraum graph viewer. Plain browser JavaScript, inlined into the page by viz/html.ts after
 * elk.bundled.js (which defines the global ELK). Reads the graph from the JSON script element,
 * lays it out with ELK, draws SVG, and wires pan/zoom, search, the legend and the details panel.
 * All text from the graph goes through textContent or setAttribute, never through innerHTML. */
(function () {
  'use strict';

  var SVGNS = 'http://www.w3.org/2000/svg';
  var data = JSON.parse(document.getElementById('dataraum-graph-data').textContent);
  var svg = document.getElementById('graph');
  var viewport = document.getElementById('viewport');
  var statusEl = document.getElementById('status');
  var panel = document.getElementById('panel');
  var searchInput = document.getElementById('search');
  var searchCount = document.getElementById('search-count');
  var colors = data.colors;

  var nodesById = new Map();
  var idsByName = new Map();
  var incoming = new Map();
  var outgoing = new Map();
  data.nodes.forEach(function (n) {
    nodesById.set(n.id, n);
    if (!idsByName.has(n.name)) idsByName.set(n.name, []);
    idsByName.get(n.name).push(n.id);
    incoming.set(n.id, []);
    outgoing.set(n.id, []);
  });
  data.edges.forEach(function (e) {
    outgoing.get(e.source).push(e);
    incoming.get(e.target).push(e);
  });

  var nodeEls = new Map();
  var edgeEls = new Map();
  var selectedId = null;
  var view = { x: 0, y: 0, k: 1 };
  var graphSize = { width: 0, height: 0 };

  // ---------- text measurement and node geometry ----------

  var fontFamily = getComputedStyle(document.body).fontFamily;
  var measureCtx = document.createElement('canvas').getContext('2d');
  var FONTS = {
    name: '600 13px ' + fontFamily,
    nameSmall: '600 11.5px ' + fontFamily,
    type: '11.5px ' + fontFamily,
    note: '11px ' + fontFamily,
  };
  var LINE_HEIGHT = { name: 17, type: 15, note: 14 };
  var MAX_TEXT_WIDTH = 380;
  var PAD_X = 12;
  var PAD_Y = 7;

  function textWidth(text, font) {
    measureCtx.font = font;
    return measureCtx.measureText(text).width;
  }

  /** Cuts text to fit maxWidth, with an ellipsis; the full text is in the tooltip and panel. */
  function fit(text, font, maxWidth) {
    if (textWidth(text, font) <= maxWidth) return text;
    var lo = 0;
    var hi = text.length;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (textWidth(text.slice(0, mid) + '…', font) <= maxWidth) lo = mid;
      else hi = mid - 1;
    }
    return text.slice(0, lo) + '…';
  }

  function nodeLines(n) {
    var small = n.kind === 'extract';
    var lines = [{ cls: 'name', font: small ? FONTS.nameSmall : FONTS.name, text: n.name.replace(/\r\n|\r|\n/g, ' ↵ ') }];
    if (n.shortType) lines.push({ cls: 'type', font: FONTS.type, text: ': ' + n.shortType });
    n.notes.forEach(function (note) { lines.push({ cls: 'note', font: FONTS.note, text: note }); });
    lines.forEach(function (l) { l.text = fit(l.text, l.font, MAX_TEXT_WIDTH); });
    return lines;
  }

  /** Extra width a shape needs beyond its text box (slanted or pointed sides). */
  var SHAPE_INSET = { input: 12, gate: 14, function: 0, extract: 0 };

  function nodeSize(n, lines) {
    var w = 0;
    var h = 2 * PAD_Y;
    lines.forEach(function (l) {
      w = Math.max(w, textWidth(l.text, l.font));
      h += LINE_HEIGHT[l.cls];
    });
    var inset = SHAPE_INSET[n.kind] || 0;
    return { width: Math.ceil(Math.max(56, w + 2 * PAD_X + 2 * inset)), height: Math.ceil(h) };
  }

  /** Polygon points for slanted/pointed kinds; null means a rectangle. */
  function shapePoints(kind, x, y, w, h) {
    if (kind === 'input') {
      var s = Math.min(SHAPE_INSET.input, w / 4);
      return [[x + s, y], [x + w, y], [x + w - s, y + h], [x, y + h]];
    }
    if (kind === 'gate') {
      var c = Math.min(SHAPE_INSET.gate, w / 4);
      return [[x + c, y], [x + w - c, y], [x + w, y + h / 2], [x + w - c, y + h], [x + c, y + h], [x, y + h / 2]];
    }
    return null;
  }

  // ---------- SVG helpers ----------

  function el(tag, attrs, parent) {
    var e = document.createElementNS(SVGNS, tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (parent) parent.appendChild(e);
    return e;
  }

  function shapeEl(kind, x, y, w, h, parent, cls) {
    var pts = shapePoints(kind, x, y, w, h);
    if (pts) return el('polygon', { class: cls, points: pts.map(function (p) { return p[0] + ',' + p[1]; }).join(' ') }, parent);
    return el('rect', { class: cls, x: x, y: y, width: w, height: h, rx: kind === 'extract' ? 2 : Math.min(8, h / 4) }, parent);
  }

  function defineMarkers() {
    var defs = svg.querySelector('defs');
    [['arrow', '#868e96'], ['arrow-hl', '#1d4e89'], ['arrow-excluded', '#ced4da']].forEach(function (m) {
      var marker = el('marker', {
        id: m[0], viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9,
        markerUnits: 'userSpaceOnUse', orient: 'auto',
      }, defs);
      el('path', { d: 'M0,0 L10,5 L0,10 z', fill: m[1] }, marker);
    });
    var style = document.createElement('style');
    style.textContent =
      '.edge path{marker-end:url(#arrow)}.edge.excluded path{marker-end:url(#arrow-excluded)}' +
      '.edge.highlight path{marker-end:url(#arrow-hl)}';
    document.head.appendChild(style);
  }

  /** An orthogonal/polyline route with softly rounded corners. */
  function routePath(points) {
    var d = 'M' + points[0].x + ',' + points[0].y;
    for (var i = 1; i < points.length - 1; i++) {
      var p0 = points[i - 1];
      var p1 = points[i];
      var p2 = points[i + 1];
      var d1 = Math.hypot(p1.x - p0.x, p1.y - p0.y);
      var d2 = Math.hypot(p2.x - p1.x, p2.y - p1.y);
      var r = Math.min(6, d1 / 2, d2 / 2);
      if (r < 0.5) {
        d += ' L' + p1.x + ',' + p1.y;
        continue;
      }
      var ax = p1.x - ((p1.x - p0.x) / d1) * r;
      var ay = p1.y - ((p1.y - p0.y) / d1) * r;
      var bx = p1.x + ((p2.x - p1.x) / d2) * r;
      var by = p1.y + ((p2.y - p1.y) / d2) * r;
      d += ' L' + ax + ',' + ay + ' Q' + p1.x + ',' + p1.y + ' ' + bx + ',' + by;
    }
    var last = points[points.length - 1];
    return d + ' L' + last.x + ',' + last.y;
  }

  // ---------- layout ----------

  function layoutOptions() {
    var opts = {
      'elk.algorithm': 'layered',
      'elk.direction': data.direction === 'TD' ? 'DOWN' : 'RIGHT',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.spacing.nodeNode': '20',
      'elk.spacing.edgeNode': '14',
      'elk.spacing.edgeEdge': '8',
      'elk.spacing.componentComponent': '36',
      'elk.layered.spacing.nodeNodeBetweenLayers': '56',
      'elk.layered.spacing.edgeNodeBetweenLayers': '16',
      'elk.layered.spacing.edgeEdgeBetweenLayers': '8',
      // Keep the manifest's order where it does not cost crossings: re-renders look alike.
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
    };
    if (data.large) {
      // Measured with elkjs in Node on 2,500-node DAGs: 3-6 s with these settings. Network-simplex
      // layering (the default) stays: longest-path layering took 17 s on long chains (dummy nodes).
      opts['elk.layered.thoroughness'] = '1';
      opts['elk.layered.crossingMinimization.strategy'] = 'NONE';
      opts['elk.layered.crossingMinimization.greedySwitch.type'] = 'OFF';
      opts['elk.layered.nodePlacement.strategy'] = 'SIMPLE';
      opts['elk.layered.considerModelOrder.strategy'] = 'NONE';
    }
    return opts;
  }

  function layout() {
    var prepared = new Map();
    var children = data.nodes.map(function (n) {
      var lines = nodeLines(n);
      var size = nodeSize(n, lines);
      prepared.set(n.id, { lines: lines, size: size });
      return { id: n.id, width: size.width, height: size.height };
    });
    var edges = data.edges.map(function (e) {
      return { id: e.id, sources: [e.source], targets: [e.target] };
    });
    var elk = new ELK();
    return elk
      .layout({ id: '__root__', layoutOptions: layoutOptions(), children: children, edges: edges })
      .then(function (result) { return { result: result, prepared: prepared }; });
  }

  // ---------- drawing ----------

  function draw(laid) {
    var result = laid.result;
    graphSize = { width: result.width || 0, height: result.height || 0 };
    var edgeLayer = el('g', { class: 'edges' }, viewport);
    var nodeLayer = el('g', { class: 'nodes' }, viewport);
    var routed = new Map();
    (result.edges || []).forEach(function (e) { routed.set(e.id, e); });

    data.edges.forEach(function (e) {
      var r = routed.get(e.id);
      var cls = 'edge' + (e.optional ? ' optional' : '') + (e.excluded ? ' excluded' : '');
      var g = el('g', { class: cls, 'data-edge': e.id, 'data-source': e.source, 'data-target': e.target }, edgeLayer);
      (r && r.sections ? r.sections : []).forEach(function (s) {
        var pts = [s.startPoint].concat(s.bendPoints || [], [s.endPoint]);
        el('path', { d: routePath(pts) }, g);
      });
      var t = el('title', null, g);
      t.textContent = nodesById.get(e.source).name + ' → ' + nodesById.get(e.target).name + ' (' + e.params.join(', ') + ')';
      edgeEls.set(e.id, g);
    });

    (result.children || []).forEach(function (c) {
      var n = nodesById.get(c.id);
      var prep = laid.prepared.get(c.id);
      var w = prep.size.width;
      var h = prep.size.height;
      var outcome = n.run ? n.run.outcome : data.hasRun && !n.excluded ? 'not_run' : '';
      var cls = ['node', 'kind-' + n.kind];
      if (n.requested) cls.push('requested');
      if (n.override) cls.push('override');
      if (n.excluded) cls.push('excluded');
      if (n.missing) cls.push('missing');
      if (outcome === 'not_run') cls.push('not-run');
      var g = el('g', {
        class: cls.join(' '),
        transform: 'translate(' + c.x + ',' + c.y + ')',
        'data-node': n.name,
        'data-id': n.id,
        'data-kind': n.kind,
        'data-outcome': outcome,
        tabindex: 0,
        role: 'button',
      }, nodeLayer);
      g.setAttribute('aria-label', n.name + ' (' + n.kind + ')');
      if (n.override) shapeEl(n.kind, -4, -4, w + 8, h + 8, g, 'ring');
      var shape = shapeEl(n.kind, 0, 0, w, h, g, 'shape');
      shape.setAttribute('fill', n.excluded ? colors.excludedFill : n.fill);
      if (n.run && !n.requested) shape.style.stroke = colors.outcomeBorder[n.run.outcome];
      var y = PAD_Y;
      prep.lines.forEach(function (l, i) {
        y += LINE_HEIGHT[l.cls];
        var text = el('text', { class: l.cls, x: w / 2, y: y - 4, 'text-anchor': 'middle' }, g);
        text.textContent = l.text;
        if (n.kind === 'extract' && i === 0 && prep.lines.length > 1) {
          el('line', { x1: 0, x2: w, y1: y + 1, y2: y + 1, stroke: '#868e96', 'stroke-width': 0.8 }, g);
        }
      });
      var title = el('title', null, g);
      title.textContent = [n.name, n.type ? ': ' + n.type : '', n.doc].filter(Boolean).join('\n');
      nodeEls.set(n.id, g);
    });
  }

  // ---------- pan and zoom ----------

  function applyView() {
    viewport.setAttribute('transform', 'translate(' + view.x + ',' + view.y + ') scale(' + view.k + ')');
  }

  function fitView() {
    var r = svg.getBoundingClientRect();
    var pad = 24;
    var k = Math.min((r.width - 2 * pad) / Math.max(graphSize.width, 1), (r.height - 2 * pad) / Math.max(graphSize.height, 1), 1.25);
    view.k = Math.max(k, 0.02);
    view.x = (r.width - graphSize.width * view.k) / 2;
    view.y = (r.height - graphSize.height * view.k) / 2;
    applyView();
  }

  /** Below this fit scale labels are unreadable, so the first view zooms in on the graph's start. */
  var READABLE_SCALE = 0.5;

  function initialView() {
    fitView();
    if (view.k >= READABLE_SCALE) return;
    var r = svg.getBoundingClientRect();
    view.k = 0.85;
    // Leave room for the status line above the first nodes.
    view.x = 24;
    view.y = data.direction === 'TD' ? 44 : Math.max(44, (r.height - graphSize.height * view.k) / 2);
    applyView();
    statusEl.textContent = 'Showing the start of the graph at a readable size; press Fit to see all of it.';
    statusEl.hidden = false;
    var hide = function () { statusEl.hidden = true; };
    svg.addEventListener('pointerdown', hide, { once: true });
    svg.addEventListener('wheel', hide, { once: true });
  }

  function zoomAt(px, py, factor) {
    var k = Math.min(4, Math.max(0.02, view.k * factor));
    view.x = px - (px - view.x) * (k / view.k);
    view.y = py - (py - view.y) * (k / view.k);
    view.k = k;
    applyView();
  }

  function centerOn(id) {
    var g = nodeEls.get(id);
    if (!g) return;
    var box = g.getBBox();
    var m = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(g.getAttribute('transform'));
    var cx = Number(m[1]) + box.x + box.width / 2;
    var cy = Number(m[2]) + box.y + box.height / 2;
    var r = svg.getBoundingClientRect();
    view.k = Math.max(view.k, 0.9);
    view.x = r.width / 2 - cx * view.k;
    view.y = r.height / 2 - cy * view.k;
    applyView();
  }

  function wirePanZoom() {
    svg.addEventListener('wheel', function (ev) {
      ev.preventDefault();
      var r = svg.getBoundingClientRect();
      zoomAt(ev.clientX - r.left, ev.clientY - r.top, Math.exp(-ev.deltaY * 0.0015));
    }, { passive: false });
    var drag = null;
    svg.addEventListener('pointerdown', function (ev) {
      if (ev.button !== 0) return;
      drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y, moved: false, id: ev.pointerId };
    });
    svg.addEventListener('pointermove', function (ev) {
      if (!drag) return;
      var dx = ev.clientX - drag.x;
      var dy = ev.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      if (!drag.moved) {
        drag.moved = true;
        svg.classList.add('dragging');
        svg.setPointerCapture(drag.id);
      }
      view.x = drag.vx + dx;
      view.y = drag.vy + dy;
      applyView();
    });
    function endDrag(ev) {
      if (!drag) return;
      var wasMoved = drag.moved;
      drag = null;
      svg.classList.remove('dragging');
      if (wasMoved) return;
      var target = ev.target instanceof Element ? ev.target.closest('.node') : null;
      if (target) select(target.getAttribute('data-id'), false);
    }
    svg.addEventListener('pointerup', endDrag);
    svg.addEventListener('pointercancel', function () { drag = null; svg.classList.remove('dragging'); });
    svg.addEventListener('keydown', function (ev) {
      var target = ev.target instanceof Element ? ev.target.closest('.node') : null;
      if (target && (ev.key === 'Enter' || ev.key === ' ')) {
        ev.preventDefault();
        select(target.getAttribute('data-id'), false);
      }
    });
    document.getElementById('zoom-in').addEventListener('click', function () {
      var r = svg.getBoundingClientRect();
      zoomAt(r.width / 2, r.height / 2, 1.25);
    });
    document.getElementById('zoom-out').addEventListener('click', function () {
      var r = svg.getBoundingClientRect();
      zoomAt(r.width / 2, r.height / 2, 0.8);
    });
    document.getElementById('fit').addEventListener('click', function () {
      statusEl.hidden = true;
      fitView();
    });
    window.addEventListener('resize', fitView);
  }

  // ---------- selection and details panel ----------

  function h(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function section(title, content) {
    var frag = document.createDocumentFragment();
    frag.appendChild(h('h3', title));
    frag.appendChild(content);
    return frag;
  }

  function nodeLink(id, label) {
    var b = h('button', label, 'link');
    b.type = 'button';
    b.addEventListener('click', function () { select(id, true); });
    return b;
  }

  /** The node a dependency name points at: the variant that is not excluded, if any. */
  function preferredId(name) {
    var ids = idsByName.get(name) || [];
    for (var i = 0; i < ids.length; i++) if (!nodesById.get(ids[i]).excluded) return ids[i];
    return ids[0];
  }

  /** A node's name, plus its key and state when config variants share the name. */
  function variantLabel(id) {
    var n = nodesById.get(id);
    if (idsByName.get(n.name).length < 2) return n.name;
    return n.name + ' (' + n.id + (n.excluded ? ', excluded' : '') + ')';
  }

  function renderPanel(n) {
    panel.replaceChildren();
    panel.appendChild(h('h2', n.name));
    if (n.id !== n.name) panel.appendChild(h('div', 'variant ' + n.id, 'muted'));
    var badges = h('div');
    badges.appendChild(h('span', n.kind, 'badge'));
    if (n.requested) badges.appendChild(h('span', 'requested output', 'badge'));
    if (n.override) badges.appendChild(h('span', 'override', 'badge'));
    if (n.excluded) badges.appendChild(h('span', 'excluded by config', 'badge'));
    if (n.missing) badges.appendChild(h('span', 'not declared', 'badge'));
    if (n.async) badges.appendChild(h('span', 'async', 'badge'));
    if (n.run) {
      var ob = h('span', colors.outcomeLabel[n.run.outcome], 'badge outcome');
      ob.style.background = colors.outcome[n.run.outcome];
      ob.style.borderColor = colors.outcomeBorder[n.run.outcome];
      badges.appendChild(ob);
    }
    panel.appendChild(badges);

    panel.appendChild(section('Type', h('pre', n.type || 'unknown (loaded without a build)', 'type')));
    panel.appendChild(section('Doc', h('p', n.doc || 'No doc comment.', n.doc ? 'doc' : 'doc muted')));

    var run = h('div', null, 'run');
    if (n.run) {
      run.appendChild(h('div', colors.outcomeLabel[n.run.outcome] + (n.run.duration ? ' in ' + n.run.duration : '') + (n.run.cacheHit ? ' (cache hit)' : '')));
      if (n.run.error) run.appendChild(h('pre', n.run.error, 'error'));
    } else {
      run.appendChild(h('div', data.hasRun ? 'Not part of this run.' : 'No run overlaid.', 'muted'));
    }
    panel.appendChild(section('Run', run));

    var tagKeys = Object.keys(n.tags);
    if (tagKeys.length) {
      var tags = h('div');
      tagKeys.forEach(function (k) {
        var v = n.tags[k];
        tags.appendChild(h('span', k + '=' + (Array.isArray(v) ? v.join(', ') : v), 'badge'));
      });
      panel.appendChild(section('Tags', tags));
    }

    var deps = h('ul');
    n.deps.forEach(function (d) {
      var li = h('li');
      var target = preferredId(d.name);
      li.appendChild(target ? nodeLink(target, d.name) : h('span', d.name));
      var extra = [];
      if (d.param !== d.name) extra.push('as ' + d.param);
      if (d.type) extra.push(': ' + d.type);
      if (d.optional) extra.push('(optional)');
      if (extra.length) li.appendChild(h('span', ' ' + extra.join(' '), 'muted'));
      deps.appendChild(li);
    });
    if (!n.deps.length) deps.appendChild(h('li', n.kind === 'input' ? 'none (an input)' : 'none', 'muted'));
    panel.appendChild(section('Depends on', deps));

    var users = h('ul');
    outgoing.get(n.id).forEach(function (e) { users.appendChild(h('li')).appendChild(nodeLink(e.target, variantLabel(e.target))); });
    if (!outgoing.get(n.id).length) users.appendChild(h('li', 'nothing (a final output)', 'muted'));
    panel.appendChild(section('Used by', users));

    var src = h('div');
    if (n.source) src.appendChild(h('code', n.source.file + ':' + n.source.line, 'source'));
    if (n.module) src.appendChild(h('div', n.module + (n.fn ? ' → ' + n.fn + (n.field ? '.' + n.field : '') : ''), 'muted'));
    if (!n.source && !n.module) src.appendChild(h('span', n.kind === 'input' ? 'supplied through inputs' : 'unknown', 'muted'));
    panel.appendChild(section('Source', src));

    if (n.checks.length) {
      var checks = h('ul');
      n.checks.forEach(function (c) { checks.appendChild(h('li', c.schema + ' (' + c.level + ')' + (c.module ? ' in ' + c.module : ''))); });
      panel.appendChild(section('Checks', checks));
    }
    if (n.condition) {
      var state = data.hasConfig ? (n.excluded ? ' (does not hold: excluded)' : ' (holds)') : '';
      panel.appendChild(section('Condition', h('div', 'when ' + n.condition + state)));
    }
    if (n.gate) panel.appendChild(section('Gate', h('div', 'checkpoint type: ' + n.gate)));
    if (n.cache && n.cache !== 'default') panel.appendChild(section('Cache', h('div', n.cache)));
  }

  function select(id, center) {
    var n = nodesById.get(id);
    if (!n) return;
    if (selectedId !== null) {
      var prev = nodeEls.get(selectedId);
      if (prev) prev.classList.remove('selected');
      incoming.get(selectedId).concat(outgoing.get(selectedId)).forEach(function (e) { edgeEls.get(e.id).classList.remove('highlight'); });
    }
    selectedId = id;
    nodeEls.get(id).classList.add('selected');
    incoming.get(id).concat(outgoing.get(id)).forEach(function (e) { edgeEls.get(e.id).classList.add('highlight'); });
    renderPanel(n);
    if (center) centerOn(id);
  }

  // ---------- search ----------

  function wireSearch() {
    var list = document.getElementById('node-names');
    Array.from(idsByName.keys()).sort().forEach(function (name) {
      var o = document.createElement('option');
      o.value = name;
      list.appendChild(o);
    });
    var matches = [];
    function update() {
      var q = searchInput.value.trim().toLowerCase();
      nodeEls.forEach(function (g) { g.classList.remove('match'); });
      if (!q) {
        matches = [];
        svg.classList.remove('searching');
        searchCount.textContent = '';
        return;
      }
      matches = data.nodes.filter(function (n) { return n.name.toLowerCase().indexOf(q) >= 0; }).map(function (n) { return n.id; });
      // An exact name first, so picking from the list jumps to that node.
      matches.sort(function (a, b) {
        return (nodesById.get(b).name.toLowerCase() === q) - (nodesById.get(a).name.toLowerCase() === q);
      });
      matches.forEach(function (id) { nodeEls.get(id).classList.add('match'); });
      svg.classList.add('searching');
      searchCount.textContent = matches.length === 1 ? '1 match' : matches.length + ' matches';
      if (matches.length && idsByName.has(searchInput.value.trim())) select(matches[0], true);
    }
    searchInput.addEventListener('input', update);
    searchInput.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && matches.length) {
        // Enter again cycles through the matches.
        var at = matches.indexOf(selectedId);
        select(matches[(at + 1) % matches.length], true);
      } else if (ev.key === 'Escape') {
        searchInput.value = '';
        update();
        searchInput.blur();
      }
    });
    document.addEventListener('keydown', function (ev) {
      if (ev.key === '/' && document.activeElement !== searchInput) {
        ev.preventDefault();
        searchInput.focus();
      }
    });
  }

  // ---------- legend and notices ----------

  /** A legend entry whose swatch is drawn with the same shape code as the graph. */
  function legendItem(parent, label, kind, fill, stroke, extraClass) {
    var item = h('span', null, 'item');
    var sw = el('svg', { width: 26, height: 16, viewBox: '-2 -2 30 20', class: 'node kind-' + kind + (extraClass ? ' ' + extraClass : '') });
    if (extraClass === 'override') shapeEl(kind, -1, -1, 28, 18, sw, 'ring');
    var shape = shapeEl(kind, 2, 2, 22, 12, sw, 'shape');
    shape.setAttribute('fill', fill);
    if (stroke) shape.style.stroke = stroke;
    item.appendChild(sw);
    item.appendChild(h('span', label));
    parent.appendChild(item);
  }

  function renderLegend() {
    var legend = document.getElementById('legend');
    var kinds = new Set(data.nodes.map(function (n) { return n.kind; }));
    legend.appendChild(h('span', 'Legend', 'title'));
    if (data.hasRun) {
      colors.outcomes.forEach(function (o) {
        legendItem(legend, colors.outcomeLabel[o], 'function', colors.outcome[o], colors.outcomeBorder[o]);
      });
      legendItem(legend, 'not run', 'function', colors.notRun, '#adb5bd');
    } else if (data.colorTag) {
      data.tagLegend.forEach(function (t) { legendItem(legend, data.colorTag + '=' + t.value, 'function', t.color); });
    }
    if (kinds.has('input')) legendItem(legend, 'input', 'input', colors.kind.input);
    if (kinds.has('gate')) legendItem(legend, 'review gate', 'gate', colors.kind.gate);
    if (kinds.has('extract')) legendItem(legend, 'extracted field', 'extract', colors.kind.extract);
    if (data.nodes.some(function (n) { return n.requested; })) legendItem(legend, 'requested output', 'function', '#fff', null, 'requested');
    if (data.nodes.some(function (n) { return n.override; })) legendItem(legend, 'override', 'function', '#fff', null, 'override');
    if (data.nodes.some(function (n) { return n.excluded; })) legendItem(legend, 'excluded by config', 'function', colors.excludedFill, null, 'excluded');
  }

  function notices() {
    var texts = [];
    if (data.large) {
      texts.push('Large graph: ' + data.nodes.length + ' nodes (more than ' + data.largeThreshold + '). ' +
        'The layout uses faster settings (no crossing minimisation), so edges cross more, and it may still take a while; use the search box to find nodes.');
    }
    if (data.unmatchedRunNodes.length) {
      texts.push('The overlaid run names ' + data.unmatchedRunNodes.length + ' node(s) this manifest does not have: ' +
        data.unmatchedRunNodes.slice(0, 10).join(', ') + (data.unmatchedRunNodes.length > 10 ? ', …' : '') + '.');
    }
    if (texts.length) {
      var notice = document.getElementById('notice');
      notice.textContent = texts.join(' ');
      notice.hidden = false;
    }
  }

  // ---------- start ----------

  notices();
  renderLegend();
  defineMarkers();
  var started = performance.now();
  // Let the "Laying out…" status paint before ELK blocks the main thread.
  setTimeout(function () {
    layout()
      .then(function (laid) {
        draw(laid);
        wirePanZoom();
        wireSearch();
        statusEl.hidden = true;
        initialView();
        svg.setAttribute('data-layout-ms', String(Math.round(performance.now() - started)));
        svg.setAttribute('data-ready', 'true');
      })
      .catch(function (err) {
        statusEl.textContent = 'Layout failed: ' + (err && err.message ? err.message : String(err));
        statusEl.classList.add('error');
        svg.setAttribute('data-error', 'true');
      });
  }, 20);
})();
