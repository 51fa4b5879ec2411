/* events.html: sortable, filterable, paged table over window.GEOMAP_DATA.
 * Cells are written with textContent only (the data is untrusted). */
(function () {
  'use strict';
  var D = window.GEOMAP_DATA, F = {};
  D.fields.forEach(function (f, i) { F[f] = i; });
  function str(i) { return (i === null || i === undefined || i < 0) ? null : D.strings[i]; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  var PAGE = 200;
  var cols = [
    ['Date', function (r) { return r[F.date] || ''; }],
    ['Type', function (r) { return str(r[F.event_type]) || (D.layers[r[F.layer]].label); }],
    ['Sub type', function (r) { return str(r[F.sub_event_type]) || ''; }],
    ['As written', function (r) { return str(r[F.mention]) || ''; }],
    ['Place', function (r) { return str(r[F.place_name]) || ''; }],
    ['Admin1', function (r) { return str(r[F.admin1]) || ''; }],
    ['Fatalities', function (r) { return r[F.fatalities] === null ? -1 : r[F.fatalities]; }],
    ['Stance', function (r) { return str(r[F.stance]) || ''; }],
    ['Claimed by', function (r) { return str(r[F.claimed_by]) || ''; }],
    ['Conf.', function (r) { return r[F.confidence] === null ? -1 : r[F.confidence]; }],
    ['Geo prec.', function (r) { return r[F.geo_precision]; }],
    ['Sources', function (r) { return (r[F.sources] || []).length; }]
  ];
  var order = D.events.map(function (_, i) { return i; });
  var shown = order, page = 0, sortCol = 0, sortDir = 1;
  var text = D.events.map(function (r) {
    return [r[F.id], r[F.date], str(r[F.event_type]), str(r[F.sub_event_type]), str(r[F.mention]),
      str(r[F.place_name]), str(r[F.admin1]), str(r[F.claimed_by]), str(r[F.stance]), str(r[F.weapon]),
      str(r[F.sentence])].join('\u0001').toLowerCase();
  });
  var q = document.getElementById('q'), typeSel = document.getElementById('type');
  var tbody = document.getElementById('rows'), info = document.getElementById('info');
  var head = document.getElementById('head');
  D.layers.forEach(function (l, k) {
    var o = el('option', null, l.label); o.value = String(k); typeSel.appendChild(o);
  });
  cols.forEach(function (c, k) {
    var th = el('th', null, c[0]);
    th.setAttribute('role', 'columnheader');
    th.addEventListener('click', function () {
      sortDir = sortCol === k ? -sortDir : 1; sortCol = k; update();
    });
    head.appendChild(th);
  });
  head.appendChild(el('th', null, 'Map'));

  function update() {
    var needle = q.value.trim().toLowerCase(), t = typeSel.value;
    shown = order.filter(function (i) {
      if (t !== '' && String(D.events[i][F.layer]) !== t) { return false; }
      return !needle || text[i].indexOf(needle) >= 0;
    });
    var key = cols[sortCol][1];
    shown.sort(function (a, b) {
      var x = key(D.events[a]), y = key(D.events[b]);
      if (x < y) { return -sortDir; }
      if (x > y) { return sortDir; }
      return a - b;
    });
    Array.prototype.forEach.call(head.children, function (th, k) {
      if (k === sortCol) { th.setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending'); }
      else { th.removeAttribute('aria-sort'); }
    });
    page = 0;
    draw();
  }

  function draw() {
    tbody.textContent = '';
    var start = page * PAGE, rows = shown.slice(start, start + PAGE);
    rows.forEach(function (i) {
      var r = D.events[i], tr = el('tr');
      tr.id = 'event-' + r[F.id];
      cols.forEach(function (c, k) {
        var v = c[1](r);
        if ((k === 6 || k === 9) && v === -1) { v = ''; }
        if (k === 9 && v !== '') { v = v.toFixed(2); }
        tr.appendChild(el('td', null, v));
      });
      var td = el('td'), a = el('a', null, 'map');
      a.href = 'index.html#event=' + encodeURIComponent(r[F.id]);
      td.appendChild(a);
      tr.appendChild(td);
      tbody.appendChild(tr);
    });
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    info.textContent = shown.length + ' of ' + D.events.length + ' events · page ' + (page + 1) + ' of ' + pages;
  }
  document.getElementById('prev').addEventListener('click', function () { if (page > 0) { page--; draw(); } });
  document.getElementById('next').addEventListener('click', function () {
    if ((page + 1) * PAGE < shown.length) { page++; draw(); }
  });
  q.addEventListener('input', update);
  typeSel.addEventListener('change', update);
  var m = /^#event=(.+)$/.exec(window.location.hash);
  if (m) { q.value = decodeURIComponent(m[1]).toLowerCase(); }
  update();
  window.geomapTable = {rows: function () { return tbody.children.length; }, shown: function () { return shown.length; }};
})();
