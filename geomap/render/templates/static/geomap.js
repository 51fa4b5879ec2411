/* geomap map page: builds markers, popups, filters and controls client-side
 * from window.GEOMAP_DATA (data/events.js), GEOMAP_BOUNDARIES and GEOMAP_SEARCH.
 * Every string from an article or the gazetteer is inserted with textContent,
 * never innerHTML: the data is untrusted. */
(function () {
  'use strict';

  var G = {ready: false};
  window.geomap = G;

  var D = null, B = null, S = [], F = {};
  var map = null;
  var groups = {};          // layer index -> L.MarkerClusterGroup
  var markers = [];         // event index -> L.Marker (point events only)
  var byId = {};            // event id -> index
  var heat = null, area = null, boundary = null, panelCtl = null;
  var filter = {from: '', to: ''};
  var visibleIdx = [];      // indices passing the date filter and with their layer on
  var statusEl = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function str(i) { return (i === null || i === undefined || i < 0) ? null : D.strings[i]; }
  function row(i) { return D.events[i]; }
  function val(i, name) { return D.events[i][F[name]]; }
  function sval(i, name) { return str(D.events[i][F[name]]); }
  function isHttp(u) { return typeof u === 'string' && /^https?:\/\/[^\s"'<>`]+$/i.test(u); }

  // Accent/case/apostrophe-insensitive key for the search box.
  function fold(s) {
    return String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .replace(/['\u2019\u02bc\u02b9`\u00b4-]/g, '').toLowerCase();
  }

  // ---- attach: called first, right after the folium map is created --------
  G.attach = function (m) {
    map = m;
    D = window.GEOMAP_DATA;
    B = window.GEOMAP_BOUNDARIES || null;
    S = window.GEOMAP_SEARCH || [];
    D.fields.forEach(function (f, i) { F[f] = i; });
    D.events.forEach(function (r, i) { byId[r[F.id]] = i; });
    map.createPane('gmBase');
    map.getPane('gmBase').style.zIndex = 350;
    map.createPane('gmArea');
    map.getPane('gmArea').style.zIndex = 390;
  };

  // ---- layers (created by folium elements, registered in the layer control)
  G.typeLayer = function (idx) {
    var g = L.markerClusterGroup({chunkedLoading: true, maxClusterRadius: 45,
      spiderfyOnMaxZoom: true, showCoverageOnHover: false});
    g.geomapLayer = idx;
    groups[idx] = g;
    return g;
  };
  G.heatLayer = function () {
    heat = L.heatLayer([], {radius: 14, blur: 18, maxZoom: 9, minOpacity: 0.3});
    return heat;
  };
  G.areaLayer = function () {
    area = L.featureGroup();
    return area;
  };
  G.boundaryLayer = function () {
    boundary = L.featureGroup();
    if (!B) { return boundary; }
    var renderer = L.canvas({pane: 'gmBase', padding: 0.2});
    if (B.countries) {
      L.geoJSON(B.countries, {renderer: renderer, interactive: false, style: function (f) {
        var ua = f.properties && f.properties.iso === 'UKR';
        return {color: '#6b6b6b', weight: ua ? 1.6 : 0.8, fillColor: ua ? '#fbf8ef' : '#ebe9e4',
          fillOpacity: 1};
      }}).addTo(boundary);
    }
    if (B.adm1) {
      L.geoJSON(B.adm1, {renderer: renderer, interactive: false,
        style: {color: '#9a9a9a', weight: 0.7, dashArray: '3 3', fill: false}}).addTo(boundary);
    }
    return boundary;
  };

  // ---- popups -------------------------------------------------------------
  function articleLink(aid) {
    var a = D.articles[aid];
    var li = el('li');
    if (!a) { li.textContent = aid; return li; }
    var link = el('a', null, a.title || aid);
    link.href = D.prefix + a.file;
    li.appendChild(link);
    if (isHttp(a.url)) {
      li.appendChild(document.createTextNode(' '));
      var ext = el('a', 'gm-ext', '(original)');
      ext.href = a.url;
      ext.rel = 'noopener noreferrer';
      ext.target = '_blank';
      li.appendChild(ext);
    }
    return li;
  }

  function kv(parent, label, value) {
    if (value === null || value === undefined || value === '') { return; }
    var p = el('div', 'gm-kv');
    p.appendChild(el('span', 'gm-k', label + ': '));
    p.appendChild(el('span', 'gm-v', value));
    parent.appendChild(p);
  }

  G.popupContent = function (i) {
    var box = el('div', 'gm-popup');
    box.setAttribute('data-event-id', val(i, 'id'));
    var place = sval(i, 'place_name') || '';
    var adm = sval(i, 'admin1');
    box.appendChild(el('div', 'gm-title', place + (adm && adm !== place ? ', ' + adm : '')));
    kv(box, 'As written', sval(i, 'mention'));
    var d = val(i, 'date');
    var dp = sval(i, 'date_precision');
    kv(box, 'Date', d ? d + (dp && dp !== 'day' ? ' (' + dp + ')' : '') : 'unknown');
    var et = sval(i, 'event_type'), st = sval(i, 'sub_event_type');
    kv(box, 'Type', (et || 'unclassified') + (st ? ' / ' + st : ''));
    kv(box, 'Weapon', sval(i, 'weapon'));
    var fat = val(i, 'fatalities'), inj = val(i, 'injured');
    kv(box, 'Fatalities', fat === null ? null : fat);
    kv(box, 'Injured', inj === null ? null : inj);
    var stance = sval(i, 'stance');
    var claimed = sval(i, 'claimed_by');
    if (stance && stance !== 'reported') {
      var b = el('div', 'gm-stance');
      b.appendChild(el('span', 'gm-badge gm-badge-' + stance.replace(/[^a-z]/g, ''), stance));
      if (claimed) { b.appendChild(el('span', 'gm-claimant', ' by ' + claimed)); }
      box.appendChild(b);
    } else if (claimed) {
      kv(box, 'Claimed by', claimed);
    }
    var sent = sval(i, 'sentence') || '';
    var hs = val(i, 'hl_start'), he = val(i, 'hl_end');
    var q = el('blockquote', 'gm-evidence');
    if (hs !== null && he !== null && hs >= 0 && he <= sent.length && hs < he) {
      q.appendChild(document.createTextNode(sent.slice(0, hs)));
      q.appendChild(el('mark', null, sent.slice(hs, he)));
      q.appendChild(document.createTextNode(sent.slice(he)));
    } else {
      q.textContent = sent;
    }
    box.appendChild(q);
    var srcs = val(i, 'sources') || [];
    box.appendChild(el('div', 'gm-k', 'Sources (' + srcs.length + '):'));
    var ul = el('ul', 'gm-sources');
    srcs.forEach(function (s) { ul.appendChild(articleLink(str(s))); });
    box.appendChild(ul);
    var conf = val(i, 'confidence');
    kv(box, 'Confidence', conf === null ? null : conf.toFixed(2));
    kv(box, 'Geo precision', val(i, 'geo_precision') + ' (' + ['', 'settlement', 'near / part of',
      'oblast / region', 'country'][val(i, 'geo_precision')] + ')');
    var foot = el('div', 'gm-foot');
    var tl = el('a', null, 'table');
    tl.href = D.prefix + 'events.html#event=' + encodeURIComponent(val(i, 'id'));
    foot.appendChild(el('span', 'gm-id', val(i, 'id') + ' · '));
    foot.appendChild(tl);
    box.appendChild(foot);
    return box;
  };

  // ---- filtering ------------------------------------------------------------
  function passDate(i) {
    var d = val(i, 'date');
    if (!d) { return true; }  // undated events stay visible (and are counted)
    if (filter.from && d < filter.from.slice(0, d.length)) { return false; }
    if (filter.to && d > filter.to.slice(0, d.length)) { return false; }
    return true;
  }
  function layerOn(l) { return groups[l] ? map.hasLayer(groups[l]) : false; }

  function makeIcon(sub, layer) {
    var s = D.subtypes[sub] || D.subtypes[0];
    var shape = D.layers[layer].shape;
    return L.divIcon({className: 'gm-icon gm-shape-' + shape,
      html: '<span style="background:' + s.color + '">' + s.glyph + '</span>',
      iconSize: [22, 22], iconAnchor: [11, 11], popupAnchor: [0, -10]});
  }

  function buildMarkers() {
    var icons = {};
    for (var i = 0; i < D.events.length; i++) {
      if (val(i, 'kind') !== 0) { continue; }
      var l = val(i, 'layer'), sub = val(i, 'subtype');
      var key = l + ':' + sub;
      if (!icons[key]) { icons[key] = makeIcon(sub, l); }
      var m = L.marker([val(i, 'lat'), val(i, 'lon')],
        {icon: icons[key], keyboard: false, title: sval(i, 'place_name') || ''});
      m.geomapIdx = i;
      m.bindPopup(G.popupContent.bind(null, i), {maxWidth: 380, minWidth: 260});
      markers[i] = m;
    }
  }

  function refreshArea() {
    if (!area) { return; }
    area.clearLayers();
    var perArea = {}, panelRows = [];
    visibleIdx.forEach(function (i) {
      var k = val(i, 'kind');
      if (k === 1) { (perArea[val(i, 'area')] = perArea[val(i, 'area')] || []).push(i); }
      else if (k === 2) { panelRows.push(i); }
    });
    Object.keys(perArea).sort().forEach(function (a) {
      var idx = perArea[a];
      var feat = B.adm1.features[+a];
      var name = (feat.properties && feat.properties.name) || '';
      var op = Math.min(0.55, 0.15 + 0.08 * idx.length);
      var poly = L.geoJSON(feat, {pane: 'gmArea',
        style: {color: '#8e2d1c', weight: 1.2, fillColor: '#d9603b', fillOpacity: op}});
      poly.bindTooltip(function () {
        return el('span', null, name + ': ' + idx.length + ' oblast-level report' + (idx.length > 1 ? 's' : ''));
      }, {sticky: true});
      poly.bindPopup(function () {
        var box = el('div', 'gm-area');
        box.appendChild(el('div', 'gm-title', name + ' — ' + idx.length + ' oblast-level report' +
          (idx.length > 1 ? 's' : '') + ' (no settlement given)'));
        idx.slice(0, 100).forEach(function (i) { box.appendChild(G.popupContent(i)); });
        if (idx.length > 100) { box.appendChild(el('div', 'gm-k', '… and ' + (idx.length - 100) + ' more (see table)')); }
        return box;
      }, {maxWidth: 400, maxHeight: 360});
      poly.geomapArea = +a;
      area.addLayer(poly);
    });
    if (panelCtl) { panelCtl.update(panelRows); }
  }

  function applyFilter() {
    visibleIdx = [];
    var perLayer = {}, heatPts = [], undated = 0;
    Object.keys(groups).forEach(function (l) { perLayer[l] = []; });
    for (var i = 0; i < D.events.length; i++) {
      var l = val(i, 'layer');
      if (!passDate(i)) { continue; }
      if (markers[i] && perLayer[l]) { perLayer[l].push(markers[i]); }
      if (!layerOn(l)) { continue; }
      visibleIdx.push(i);
      if (!val(i, 'date')) { undated++; }
      if (val(i, 'kind') === 0) { heatPts.push([val(i, 'lat'), val(i, 'lon')]); }
    }
    Object.keys(groups).forEach(function (l) {
      groups[l].clearLayers();
      groups[l].addLayers(perLayer[l]);
    });
    if (heat) {
      if (map.hasLayer(heat)) { heat.setLatLngs(heatPts); } else { heat._latlngs = heatPts; }
    }
    refreshArea();
    if (statusEl) {
      statusEl.textContent = 'Showing ' + visibleIdx.length + ' of ' + D.events.length + ' events' +
        (undated ? ' (' + undated + ' undated, always shown)' : '');
    }
  }
  // Visible = passes the date filter and its layer is switched on.
  function recount() { applyFilter(); }

  // ---- controls -------------------------------------------------------------
  function timeControl() {
    var C = L.Control.extend({
      options: {position: 'bottomleft'},
      onAdd: function () {
        var box = el('div', 'leaflet-bar gm-box gm-time');
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        var nav = el('div', 'gm-nav');
        [['Events table', 'events.html'], ['About & sources', 'about.html'],
          ['Data', 'about.html#data']].forEach(function (p, k) {
          if (k) { nav.appendChild(document.createTextNode(' · ')); }
          var a = el('a', null, p[0]);
          a.href = D.prefix + p[1];
          nav.appendChild(a);
        });
        box.appendChild(nav);
        var row1 = el('div', 'gm-row');
        var from = el('input'); from.type = 'date'; from.id = 'gm-from'; from.title = 'from';
        var to = el('input'); to.type = 'date'; to.id = 'gm-to'; to.title = 'to';
        if (D.date_min) { from.min = to.min = D.date_min; from.value = ''; }
        if (D.date_max) { from.max = to.max = D.date_max; }
        var reset = el('button', null, 'All dates'); reset.type = 'button'; reset.id = 'gm-reset';
        row1.appendChild(el('label', null, 'From ')); row1.appendChild(from);
        row1.appendChild(el('label', null, ' to ')); row1.appendChild(to);
        row1.appendChild(reset);
        box.appendChild(row1);
        statusEl = el('div', 'gm-status');
        statusEl.id = 'gm-status';
        box.appendChild(statusEl);
        function changed() { G.setDateRange(from.value, to.value); }
        from.addEventListener('change', changed);
        to.addEventListener('change', changed);
        reset.addEventListener('click', function () { from.value = ''; to.value = ''; changed(); });
        return box;
      }
    });
    new C().addTo(map);
  }

  function searchControl() {
    var entries = S.map(function (e) {
      return {id: e[0], name: e[1], admin1: e[2], lat: e[3], lon: e[4], names: e[5],
        keys: e[5].map(fold)};
    });
    var C = L.Control.extend({
      options: {position: 'topleft'},
      onAdd: function () {
        var box = el('div', 'leaflet-bar gm-box gm-search');
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        var input = el('input');
        input.type = 'search'; input.id = 'gm-search'; input.placeholder = 'Find a place (any spelling)';
        input.setAttribute('aria-label', 'Find a place by any spelling');
        var list = el('ul', 'gm-results'); list.id = 'gm-results';
        box.appendChild(input); box.appendChild(list);
        input.addEventListener('input', function () {
          list.textContent = '';
          var q = fold(input.value.trim());
          if (q.length < 2) { return; }
          var hits = [];
          for (var k = 0; k < entries.length && hits.length < 12; k++) {
            var e = entries[k], best = -1;
            for (var j = 0; j < e.keys.length; j++) {
              var pos = e.keys[j].indexOf(q);
              if (pos === 0) { best = j; break; }
              if (pos > 0 && best < 0) { best = j; }
            }
            if (best >= 0) { hits.push([e, e.names[best]]); }
          }
          hits.forEach(function (h) {
            var li = el('li');
            var btn = el('button', 'gm-hit', h[0].name + (h[0].admin1 ? ', ' + h[0].admin1 : ''));
            btn.type = 'button';
            if (h[1] !== h[0].name) { btn.appendChild(el('span', 'gm-alias', ' (' + h[1] + ')')); }
            btn.addEventListener('click', function () { G.showPlace(h[0].id); });
            li.appendChild(btn);
            list.appendChild(li);
          });
          if (!hits.length) { list.appendChild(el('li', 'gm-none', 'No place found')); }
        });
        return box;
      }
    });
    new C().addTo(map);
    G._search = entries;
  }

  function legendControl() {
    var C = L.Control.extend({
      options: {position: 'bottomright'},
      onAdd: function () {
        var box = el('details', 'gm-box gm-legend');
        box.open = true;
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        box.appendChild(el('summary', null, 'Legend'));
        D.legend.forEach(function (entry) {
          var li = el('div', 'gm-legend-row');
          var ic = el('span', 'gm-icon gm-shape-' + D.layers[entry[0]].shape);
          var s = D.subtypes[entry[1]];
          var inner = el('span', null, s.glyph);
          inner.style.background = s.color;
          ic.appendChild(inner);
          li.appendChild(ic);
          var lab = D.layers[entry[0]].label;
          li.appendChild(el('span', null, ' ' + (s.name === lab ? lab : lab + ' / ' + s.name)));
          box.appendChild(li);
        });
        var ar = el('div', 'gm-legend-row');
        ar.appendChild(el('span', 'gm-swatch-area'));
        ar.appendChild(el('span', null, ' oblast-level report (no settlement given)'));
        box.appendChild(ar);
        box.appendChild(el('div', 'gm-note', D.borders_note));
        return box;
      }
    });
    new C().addTo(map);
  }

  function panelControl() {
    var C = L.Control.extend({
      options: {position: 'bottomright'},
      onAdd: function () {
        var box = el('details', 'gm-box gm-panel');
        box.id = 'gm-panel';
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        this._sum = el('summary');
        box.appendChild(this._sum);
        this._list = el('div', 'gm-panel-list');
        box.appendChild(this._list);
        this._box = box;
        return box;
      },
      update: function (rows) {
        this._box.style.display = rows.length ? '' : 'none';
        this._sum.textContent = 'Country / region-level reports (' + rows.length + ')';
        this._list.textContent = '';
        var list = this._list;
        rows.slice(0, 200).forEach(function (i) {
          var d = el('details', 'gm-panel-item');
          d.appendChild(el('summary', null, (val(i, 'date') || 'undated') + ' · ' + (sval(i, 'place_name') || '') +
            ' · ' + (sval(i, 'event_type') || 'context')));
          d.addEventListener('toggle', function () {
            if (d.open && d.childNodes.length === 1) { d.appendChild(G.popupContent(i)); }
          });
          list.appendChild(d);
        });
      }
    });
    panelCtl = new C();
    panelCtl.addTo(map);
  }

  // ---- public helpers (deep links, search, tests) --------------------------
  G.setDateRange = function (from, to) {
    filter.from = from || '';
    filter.to = to || '';
    var f = document.getElementById('gm-from'), t = document.getElementById('gm-to');
    if (f && f.value !== filter.from) { f.value = filter.from; }
    if (t && t.value !== filter.to) { t.value = filter.to; }
    applyFilter();
  };
  /** Number of events currently shown (date filter passed, layer on). */
  G.count = function () { return visibleIdx.length; };
  G.total = function () { return D.events.length; };
  /** Number of point markers held by the visible cluster layers. */
  G.markerCount = function () {
    var n = 0;
    Object.keys(groups).forEach(function (l) { if (layerOn(l)) { n += groups[l].getLayers().length; } });
    return n;
  };
  G.areaCount = function () { return area ? area.getLayers().length : 0; };
  G.map = function () { return map; };

  G.openEvent = function (id) {
    var i = byId[id];
    if (i === undefined) { return false; }
    map.closePopup();
    var l = val(i, 'layer');
    if (!passDate(i)) { G.setDateRange('', ''); }
    if (!layerOn(l)) { map.addLayer(groups[l]); }
    if (markers[i]) {
      groups[l].zoomToShowLayer(markers[i], function () { markers[i].openPopup(); });
    } else {
      var ll = [val(i, 'lat'), val(i, 'lon')];
      map.setView(ll, val(i, 'geo_precision') >= 4 ? 5 : 7);
      L.popup({maxWidth: 380}).setLatLng(ll).setContent(G.popupContent(i)).openOn(map);
    }
    return true;
  };

  G.showPlace = function (pid) {
    var e = null;
    (G._search || []).forEach(function (x) { if (x.id === pid) { e = x; } });
    if (!e) { return false; }
    for (var i = 0; i < D.events.length; i++) {
      if (markers[i] && sval(i, 'place_id') === pid && passDate(i)) { return G.openEvent(val(i, 'id')); }
    }
    map.setView([e.lat, e.lon], 11);
    L.popup().setLatLng([e.lat, e.lon])
      .setContent(el('div', 'gm-title', e.name + (e.admin1 ? ', ' + e.admin1 : '') + ' (no event shown here)'))
      .openOn(map);
    return true;
  };

  function onHash() {
    var h = window.location.hash.replace(/^#/, '');
    var m = /^(event|place)=(.+)$/.exec(h);
    if (!m) { return; }
    var v = decodeURIComponent(m[2]);
    if (m[1] === 'event') { G.openEvent(v); } else { G.showPlace(v); }
  }

  // ---- start: called last, after the layer control exists -----------------
  G.start = function () {
    buildMarkers();
    searchControl();
    timeControl();
    legendControl();
    panelControl();
    map.on('overlayadd overlayremove', function (ev) {
      if (ev.layer instanceof L.TileLayer && boundary) {
        // Let online tiles show through the offline base when switched on.
        var on = ev.type === 'overlayadd';
        boundary.eachLayer(function (g) { g.setStyle({fillOpacity: on ? 0.15 : 1}); });
        return;
      }
      if (ev.layer === heat || ev.layer === area || ev.layer === boundary) {
        if (ev.layer === heat && ev.type === 'overlayadd') { heat.redraw(); }
        return;
      }
      recount();
    });
    applyFilter();
    window.addEventListener('hashchange', onHash);
    onHash();
    G.ready = true;
  };
})();
