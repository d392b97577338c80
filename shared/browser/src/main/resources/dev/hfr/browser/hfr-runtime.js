/*
 * hfr page runtime: injected before any page script (Page.addScriptToEvaluateOnNewDocument) and
 * preceded by "window.__hfrConfig = {...};" written by the Java side.
 *
 * It makes a composition a pure function of the seek time:
 *  - Date, Date.now, performance.now follow the seek time (epoch fixed at 2024-01-01T00:00:00Z);
 *  - requestAnimationFrame callbacks are queued and flushed once per seek with the virtual time;
 *  - Math.random / crypto.getRandomValues / crypto.randomUUID are a Mulberry32 PRNG re-seeded from the
 *    frame time on every seek, so frame n does not depend on the frames rendered before it;
 *  - setTimeout / setInterval are deliberately left on the wall clock: loaders and polling code use
 *    them, and virtualising them would stall page start-up. The authoring contract forbids driving
 *    animation from timers, so they never decide what a frame shows;
 *  - every seek sets window.__hfThreeTime / __hfTypegpuTime and dispatches 'hf-seek' {time, waitUntil}, as
 *    HyperFrames' canvas adapters do (WebGL/canvas drawing that follows the seek rather than a timeline);
 *  - real <video>/<audio> elements are muted and never played; videos listed in /__hfr/videos.json
 *    are replaced by <img> elements showing the frames the plan step extracted.
 */
(function () {
  'use strict';
  if (window.__hfr) {
    return;
  }
  var cfg = window.__hfrConfig || {};
  var FPS = cfg.fps > 0 ? cfg.fps : 30;
  var EPS = 1e-6;
  var EPOCH_MS = 1704067200000;
  var nowMs = 0;
  var errors = [];
  // the timeline registry exists before any page script, as in HyperFrames' runtime: compositions may
  // write window.__timelines[id] = tl without creating it first (style-1-prod does)
  window.__timelines = window.__timelines || {};

  // ---------------------------------------------------------------- virtual time
  var OrigDate = Date;
  class VirtualDate extends OrigDate {
    constructor() {
      if (arguments.length === 0) {
        super(EPOCH_MS + Math.floor(nowMs));
      } else {
        super(...arguments);
      }
    }
    static now() {
      return EPOCH_MS + Math.floor(nowMs);
    }
  }
  // Date() called as a function returns a string in every browser; a class cannot be called, so a
  // Proxy answers the call form.
  var DateProxy = new Proxy(VirtualDate, {
    apply: function () {
      return new OrigDate(EPOCH_MS + Math.floor(nowMs)).toString();
    }
  });
  window.Date = DateProxy;
  try {
    Object.defineProperty(performance, 'now', {value: function () { return nowMs; }, configurable: true, writable: true});
  } catch (e) {
    errors.push('performance.now not replaced: ' + e);
  }

  var rafQueue = [];
  var rafSeq = 0;
  window.requestAnimationFrame = function (cb) {
    var id = ++rafSeq;
    rafQueue.push({id: id, cb: cb});
    return id;
  };
  window.cancelAnimationFrame = function (id) {
    rafQueue = rafQueue.filter(function (e) { return e.id !== id; });
  };
  function flushAnimationFrames() {
    // one pass: callbacks that re-register run on the next seek, as in a real frame loop
    var queue = rafQueue;
    rafQueue = [];
    for (var i = 0; i < queue.length; i++) {
      try {
        queue[i].cb(nowMs);
      } catch (e) {
        errors.push('requestAnimationFrame callback threw: ' + e);
      }
    }
  }

  // ---------------------------------------------------------------- seeded randomness
  var rngState = 0;
  function reseed(ms) {
    var ms32 = Math.floor(ms) | 0;
    rngState = (Math.imul(ms32, -1640531527) + 0x9E3779B9) | 0;
  }
  function nextRandom() {
    rngState = (rngState + 0x6D2B79F5) | 0;
    var t = rngState;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  reseed(0);
  Math.random = nextRandom;
  if (window.crypto) {
    var fill = function (array) {
      var bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      for (var i = 0; i < bytes.length; i++) {
        bytes[i] = Math.floor(nextRandom() * 256);
      }
      return array;
    };
    try {
      Object.defineProperty(window.crypto, 'getRandomValues', {value: fill, configurable: true, writable: true});
      Object.defineProperty(window.crypto, 'randomUUID', {
        value: function () {
          var b = fill(new Uint8Array(16));
          b[6] = (b[6] & 0x0f) | 0x40;
          b[8] = (b[8] & 0x3f) | 0x80;
          var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
          return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
        }, configurable: true, writable: true
      });
    } catch (e) {
      errors.push('crypto not replaced: ' + e);
    }
  }

  // ---------------------------------------------------------------- media: never play
  if (window.HTMLMediaElement) {
    HTMLMediaElement.prototype.play = function () {
      this.muted = true;
      return Promise.resolve();
    };
  }
  function silenceMedia(el) {
    el.muted = true;
    el.autoplay = false;
    el.removeAttribute('autoplay');
    try { el.pause(); } catch (e) { /* not loaded yet */ }
  }

  var isHttp = location.protocol === 'http:' || location.protocol === 'https:';
  var isTop = window.top === window;

  // videos.json must be known before the parser hands <video> elements to page scripts (GSAP selects
  // them by id at load), so it is read with a synchronous request from the site root.
  var videoMeta = null;
  if (isHttp && isTop) {
    try {
      var xhr = new XMLHttpRequest();
      xhr.open('GET', '/__hfr/videos.json', false);
      xhr.send(null);
      if (xhr.status === 200 && xhr.responseText) {
        videoMeta = JSON.parse(xhr.responseText);
      }
    } catch (e) {
      errors.push('/__hfr/videos.json unreadable: ' + e);
    }
  }
  var swappedVideos = []; // {img, video, meta, poster, frame, pending}

  /**
   * A pre-extracted video keeps its place in the page and shows its frames through an <img> laid over it, as
   * HyperFrames' frame injector does: the <video> stays, so author CSS (`.scene video { ... }`), queries and
   * tweens still find and move it, and every seek copies its used box and visual style (border included) to the
   * <img>. The <video> itself is hidden (its background and shadow are not drawn, as in HyperFrames) and never
   * loads: its poster, the first extracted frame, gives it the natural size a loaded video has.
   */
  function swapVideo(video) {
    var id = video.getAttribute('data-hfr-video-id');
    if (!id || !videoMeta || !videoMeta[id] || video.__hfrSwapped) {
      return;
    }
    video.__hfrSwapped = true;
    video.preload = 'none';
    silenceMedia(video);
    var meta = videoMeta[id];
    var first = Number(meta.frameCount) > 0 ? framePath(meta.pattern, 0) : null;
    var poster = null;
    if (first) {
      video.setAttribute('poster', first);
      poster = new Image();
      poster.src = first;
    }
    video.style.setProperty('visibility', 'hidden', 'important');
    var img = document.createElement('img');
    img.setAttribute('data-hfr-swapped', 'video');
    img.alt = '';
    img.decoding = 'sync';
    img.style.pointerEvents = 'none';
    img.style.position = 'absolute';
    img.style.visibility = 'hidden';
    if (video.parentNode) {
      video.parentNode.insertBefore(img, video.nextSibling);
    }
    swappedVideos.push({img: img, video: video, meta: meta, poster: poster, frame: -1, pending: null});
  }

  /**
   * The <video>'s visual style HyperFrames 0.8.170 copies to its frame <img> (its geometry is set from the used box,
   * border-box: a bordered video's frame is drawn inside its border).
   */
  var COPIED_VIDEO_STYLE = ['object-fit', 'object-position', 'z-index', 'filter', 'mix-blend-mode',
    'backdrop-filter', 'border-width', 'border-style', 'border-color', 'border-radius', 'overflow', 'clip-path',
    'mask', 'mask-image', 'mask-size', 'mask-position', 'mask-repeat', 'transform', 'transform-origin', 'translate',
    'rotate', 'scale', 'box-sizing'];

  /** Lays the frame <img> over its <video>: the video's box (offset position and size) and visual style. */
  function coverVideo(v) {
    var video = v.video;
    var img = v.img;
    var cs = window.getComputedStyle(video);
    for (var i = 0; i < COPIED_VIDEO_STYLE.length; i++) {
      var value = cs.getPropertyValue(COPIED_VIDEO_STYLE[i]);
      if (value) {
        img.style.setProperty(COPIED_VIDEO_STYLE[i], value);
      }
    }
    var rect = video.getBoundingClientRect();
    img.style.inset = 'auto';
    img.style.left = (isFinite(video.offsetLeft) ? video.offsetLeft : 0) + 'px';
    img.style.top = (isFinite(video.offsetTop) ? video.offsetTop : 0) + 'px';
    img.style.width = (video.offsetWidth > 0 ? video.offsetWidth : rect.width) + 'px';
    img.style.height = (video.offsetHeight > 0 ? video.offsetHeight : rect.height) + 'px';
    img.style.boxSizing = 'border-box';
    var opacity = parseFloat(cs.opacity);
    img.style.opacity = String(isNaN(opacity) ? 1 : opacity);
    // as HyperFrames: shown even under an author's visibility: hidden (a clip window outside its time still hides
    // it: that rule is !important)
    img.style.visibility = 'visible';
    // a tween of the video's visibility (autoAlpha) replaces the inline hiding: the video is hidden again
    video.style.setProperty('visibility', 'hidden', 'important');
  }

  if (isHttp && isTop) {
    var observer = new MutationObserver(function (records) {
      for (var r = 0; r < records.length; r++) {
        var added = records[r].addedNodes;
        for (var n = 0; n < added.length; n++) {
          var node = added[n];
          if (node.nodeType !== 1) {
            continue;
          }
          var media = node.matches('video, audio') ? [node] : [];
          media = media.concat(Array.prototype.slice.call(node.querySelectorAll('video, audio')));
          for (var m = 0; m < media.length; m++) {
            silenceMedia(media[m]);
            if (media[m].tagName === 'VIDEO') {
              swapVideo(media[m]);
            }
          }
        }
      }
    });
    observer.observe(document, {childList: true, subtree: true});
  }

  // ---------------------------------------------------------------- sub-composition script scope
  /**
   * HyperFrames runs every script of an inlined sub-composition after the host document's own scripts,
   * inside a function whose document and gsap are scoped to the composition's host: querySelector(All)
   * and getElementById only see elements inside the host, and GSAP string targets resolve the same way.
   * The compiler wraps each such script in a call to this function (see ProjectCompiler).
   */
  function scopeFor(key) {
    var root = document.querySelector('[data-hfr-scope="' + key + '"]');
    var baseGsap = window.gsap;
    if (!root || typeof Proxy !== 'function') {
      return {document: document, gsap: baseGsap};
    }
    var inside = function (node) {
      return node === root || root.contains(node);
    };
    // the template's root lost its id to data-hf-authored-id (ProjectCompiler.flattenInnerRoot): the
    // composition's scripts still find it as #id, as HyperFrames' scoped document does
    var innerRoot = Array.prototype.filter.call(root.querySelectorAll('[data-hf-inner-root][data-hf-authored-id]'),
        function (el) { return el.parentElement.closest('[data-hfr-scope]') === root; })[0] || null;
    var authoredId = innerRoot ? innerRoot.getAttribute('data-hf-authored-id') : null;
    var authoredToken = authoredId
        ? new RegExp('#' + CSS.escape(authoredId).replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '(?![\\w-])', 'g') : null;
    var normalize = function (selector) {
      return authoredToken && selector.indexOf('#') >= 0
          ? selector.replace(authoredToken, '[data-hf-authored-id="' + authoredId.replace(/["\\]/g, '\\$&') + '"]')
          : selector;
    };
    var queryAll = function (selector) {
      if (typeof selector !== 'string') {
        return document.querySelectorAll(selector);
      }
      return Array.prototype.filter.call(document.querySelectorAll(normalize(selector)), inside);
    };
    var queryOne = function (selector) {
      return queryAll(selector)[0] || null;
    };
    var byId = function (id) {
      var found = document.getElementById(id);
      if (found && inside(found)) {
        return found;
      }
      if (authoredId !== null && String(id) === authoredId) {
        return innerRoot;
      }
      return root.id === String(id) ? root : root.querySelector('[id="' + CSS.escape(String(id)) + '"]');
    };
    var scopedDocument = new Proxy(document, {
      get: function (target, prop) {
        if (prop === 'querySelector') {
          return queryOne;
        }
        if (prop === 'querySelectorAll') {
          return queryAll;
        }
        if (prop === 'getElementById') {
          return byId;
        }
        var value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      }
    });
    if (!baseGsap) {
      return {document: scopedDocument, gsap: baseGsap};
    }
    var target = function (t) {
      return typeof t === 'string' ? queryAll(t) : t;
    };
    var TWEENS = ['to', 'from', 'fromTo', 'set'];
    var scopeTimeline = function (tl) {
      if (!tl || tl.__hfrScoped) {
        return tl;
      }
      TWEENS.forEach(function (m) {
        var original = tl[m];
        if (typeof original === 'function') {
          tl[m] = function (t) {
            var args = Array.prototype.slice.call(arguments);
            args[0] = target(t);
            return original.apply(tl, args);
          };
        }
      });
      try {
        Object.defineProperty(tl, '__hfrScoped', {value: true});
      } catch (e) { /* frozen: unscoped, as authored */ }
      return tl;
    };
    var scopedGsap = new Proxy(baseGsap, {
      get: function (g, prop) {
        if (prop === 'timeline') {
          return function () {
            return scopeTimeline(g.timeline.apply(g, arguments));
          };
        }
        if (TWEENS.indexOf(prop) >= 0) {
          return function (t) {
            var args = Array.prototype.slice.call(arguments);
            args[0] = target(t);
            return g[prop].apply(g, args);
          };
        }
        if (prop === 'utils' && g.utils) {
          return new Proxy(g.utils, {
            get: function (u, uprop) {
              if (uprop === 'toArray') {
                return function (t) {
                  var args = Array.prototype.slice.call(arguments);
                  args[0] = target(t);
                  return u.toArray.apply(u, args);
                };
              }
              var uv = Reflect.get(u, uprop, u);
              return typeof uv === 'function' ? uv.bind(u) : uv;
            }
          });
        }
        var value = Reflect.get(g, prop, g);
        return typeof value === 'function' ? value.bind(g) : value;
      }
    });
    return {document: scopedDocument, gsap: scopedGsap};
  }

  /** Runs one sub-composition script in its scope; a throw is recorded and does not stop the others. */
  function runScoped(key, label, fn) {
    var scope = scopeFor(key);
    try {
      fn.call(window, scope.document, scope.gsap);
    } catch (e) {
      errors.push('script of ' + label + ' threw: ' + e);
      if (window.console && console.error) {
        console.error('[hfr] composition script error in ' + label + ':', e);
      }
    }
  }

  // ---------------------------------------------------------------- readiness
  var state = {dcl: false, fontsReady: false, dclAtMs: 0};
  var imageDecodes = new WeakMap();
  document.addEventListener('DOMContentLoaded', function () {
    state.dcl = true;
    document.querySelectorAll('video, audio').forEach(function (el) {
      silenceMedia(el);
      if (el.tagName === 'VIDEO') {
        swapVideo(el);
      }
    });
    loadEveryFontFace();
  });

  /**
   * Loads every declared font face before frame 0, used yet or not. The browser loads a face only when some
   * text first needs it; text a script creates later (a caption line built when the timeline reaches it) would
   * then be drawn while its font is still loading, and with font-display: block that text is invisible in the
   * frame we capture. HyperFrames inlines its fonts for the same reason.
   */
  function loadEveryFontFace() {
    if (!document.fonts || !document.fonts.ready) {
      state.fontsReady = true;
      return;
    }
    var loads = [];
    document.fonts.forEach(function (face) {
      if (face.status === 'unloaded') {
        loads.push(face.load().catch(function () { /* a face that cannot load falls back, as in any browser */ }));
      }
    });
    Promise.all(loads).then(function () { return document.fonts.ready; })
        .then(function () { state.fontsReady = true; }, function () { state.fontsReady = true; });
  }

  /**
   * Starts (once per source) the decode of an image and records its outcome on its own entry: each image
   * has its own closure, so one image's decode can never mark another one done.
   */
  function imageDecode(img) {
    var src = img.currentSrc || img.src;
    var d = imageDecodes.get(img);
    if (d && d.src === src) {
      return d;
    }
    d = {src: src, done: false, failed: false};
    imageDecodes.set(img, d);
    img.decode().then(function () {
      d.done = true;
    }, function () {
      d.done = true;
      // decode() also rejects for an image replaced while decoding; only a picture that did not load failed
      d.failed = img.complete && img.naturalWidth === 0;
    });
    return d;
  }

  function describeImage(img) {
    var s = '<img';
    if (img.id) {
      s += ' id="' + img.id + '"';
    }
    return s + ' src="' + (img.getAttribute('src') || img.getAttribute('srcset') || '') + '">';
  }

  /** Counts images still loading; an image that failed to load (and was not left missing on purpose) is an error. */
  function pendingImages() {
    var pending = 0;
    var imgs = document.images;
    for (var i = 0; i < imgs.length; i++) {
      var img = imgs[i];
      if (img.getAttribute('data-hfr-swapped') || !(img.getAttribute('src') || img.getAttribute('srcset'))) {
        continue;
      }
      if (img.loading === 'lazy') {
        // a lazy image outside the viewport would never load: every image of a frame must be there
        img.loading = 'eager';
      }
      if (!img.complete) {
        pending++;
        continue;
      }
      var d = imageDecode(img);
      if (!d.done) {
        pending++;
      } else if (d.failed && !img.hasAttribute('data-hfr-missing-media')) {
        return {failed: img};
      }
    }
    // a video's poster gives it its natural size: the layout of frame 0 needs it
    for (var v = 0; v < swappedVideos.length; v++) {
      if (swappedVideos[v].poster && !swappedVideos[v].poster.complete) {
        pending++;
      }
    }
    return pending;
  }

  function allCompositions() {
    return Array.prototype.slice.call(document.querySelectorAll('[data-composition-id]'));
  }
  function scopeOf(el) {
    return el.parentElement ? el.parentElement.closest('[data-composition-id]') : null;
  }
  /**
   * An element inside a host of the same data-composition-id is that composition again: the host's timing and
   * window govern it, and its timeline is seeked once. The compiler no longer makes such pairs (it strips a
   * template root's identity and marks it data-hf-inner-root, as HyperFrames does), but a page may still nest
   * them by hand.
   */
  function isInnerRoot(el) {
    var scope = scopeOf(el);
    return !!scope && scope.getAttribute('data-composition-id') === el.getAttribute('data-composition-id');
  }
  /**
   * A nested-composition host whose inlined template root carries another id (host "captions-comp",
   * template root "captions"): the template root registers the timeline and is seeked as its own
   * composition inside the host's window, so the host needs no timeline of its own.
   */
  function aliasedHost(host) {
    if (!host.hasAttribute('data-composition-src') && !host.hasAttribute('data-hfr-inlined')) {
      return false;
    }
    var id = host.getAttribute('data-composition-id');
    for (var ch = host.firstElementChild; ch; ch = ch.nextElementSibling) {
      if (ch.hasAttribute('data-composition-id') && ch.getAttribute('data-composition-id') !== id) {
        return true;
      }
    }
    return false;
  }
  function rootComposition() {
    var all = allCompositions();
    for (var i = 0; i < all.length; i++) {
      if (!scopeOf(all[i])) {
        return all[i];
      }
    }
    return null;
  }
  function describe(el) {
    return el.id ? '#' + el.id : '<' + el.tagName.toLowerCase() + '>';
  }

  function readiness() {
    if (!state.dcl) {
      return {phase: 'loading'};
    }
    if (!state.fontsReady) {
      return {phase: 'fonts'};
    }
    var images = pendingImages();
    if (images && images.failed) {
      return {phase: 'error', code: 'ASSET_UNAVAILABLE', message: 'image ' + describeImage(images.failed)
          + ' failed to load (missing file or not a decodable image)'};
    }
    if (images > 0) {
      return {phase: 'images', pendingImages: images};
    }
    var comps = allCompositions();
    if (comps.length === 0) {
      return {phase: 'error', code: 'COMPOSITION_INVALID', message: 'no element with data-composition-id'};
    }
    var timelines = window.__timelines || {};
    var missing = [];
    // (staticAccepted: see acceptStatic below)
    var seen = {};
    comps.forEach(function (c) {
      var id = c.getAttribute('data-composition-id');
      if (c.hasAttribute('data-no-timeline') || seen[id]) {
        return;
      }
      // a host and its inlined template root share the id; either one may opt out with data-no-timeline
      var inner = c.querySelector('[data-composition-id="' + CSS.escape(id) + '"], :scope > [data-hf-inner-root]');
      if ((inner && inner.hasAttribute('data-no-timeline')) || (isInnerRoot(c) && scopeOf(c).hasAttribute('data-no-timeline'))) {
        return;
      }
      seen[id] = true;
      if (!timelines[id] && !aliasedHost(c)) {
        missing.push({id: id, element: describe(c)});
      }
    });
    if (missing.length > 0 && !staticAccepted) {
      return {phase: 'timelines', missing: missing, registered: Object.keys(timelines).length,
        built: gsapTimelinesBuilt()};
    }
    applyLayout();
    return {phase: 'ready'};
  }

  // ---------------------------------------------------------------- layout (as HyperFrames' runtime)
  function px(value) {
    var n = value == null ? NaN : parseFloat(value);
    return isFinite(n) && n > 0 ? n + 'px' : null;
  }
  var layoutApplied = false;
  /**
   * HyperFrames' runtime sizes the root composition to its data-width/data-height (position relative
   * unless set, overflow hidden) and lays every timed direct child of the root out as a layer: absolute
   * unless already absolute/fixed, anchored at the top left unless anchored otherwise, and as large as its
   * data-width/data-height (or the root) when nothing gives it a size. Applied once, before the first seek.
   */
  function applyLayout() {
    if (layoutApplied) {
      return;
    }
    layoutApplied = true;
    var root = rootComposition();
    if (!root) {
      return;
    }
    var w = px(root.getAttribute('data-width'));
    var h = px(root.getAttribute('data-height'));
    if (!root.style.position) {
      root.style.position = 'relative';
    }
    root.style.overflow = 'hidden';
    if (w) {
      root.style.width = w;
    }
    if (h) {
      root.style.height = h;
    }
    var children = Array.prototype.slice.call(root.children);
    for (var i = 0; i < children.length; i++) {
      var el = children[i];
      var tag = el.tagName.toLowerCase();
      if (tag === 'script' || tag === 'style' || tag === 'link' || tag === 'meta' || !el.hasAttribute('data-start')) {
        continue;
      }
      var cs = getComputedStyle(el);
      if (cs.position !== 'absolute' && cs.position !== 'fixed') {
        el.style.position = 'absolute';
      }
      if (!el.style.top && !el.style.bottom && cs.top === 'auto' && cs.bottom === 'auto') {
        el.style.top = '0';
      }
      if (!el.style.left && !el.style.right && cs.left === 'auto' && cs.right === 'auto') {
        el.style.left = '0';
      }
      if (tag === 'audio') {
        continue;
      }
      var fw = px(el.getAttribute('data-width'));
      var fh = px(el.getAttribute('data-height'));
      if (!el.style.width && (fw ? (cs.width === '0px' || cs.width === 'auto') : cs.width === '0px')) {
        el.style.width = fw || '100%';
      }
      if (!el.style.height && (fh ? (cs.height === '0px' || cs.height === 'auto') : cs.height === '0px')) {
        el.style.height = fh || '100%';
      }
    }
  }

  // ---------------------------------------------------------------- timing model
  var startCache = new Map();
  var HfrError = function (code, message) {
    var e = new Error('HFR:' + code + ':' + message);
    return e;
  };

  function numberAttr(el, name) {
    var raw = el.getAttribute(name);
    if (raw === null || raw.trim() === '') {
      return null;
    }
    var n = Number(raw);
    return isFinite(n) ? n : NaN;
  }

  function timelineOf(el) {
    var id = el.getAttribute('data-composition-id');
    var tls = window.__timelines || {};
    return id ? tls[id] : undefined;
  }

  /** Visible length of a clip or composition host; Infinity when it has none. */
  function durationOf(el) {
    var d = numberAttr(el, 'data-duration');
    if (d !== null && !isNaN(d)) {
      return d;
    }
    var tl = timelineOf(el);
    if (tl && typeof tl.duration === 'function') {
      var td = typeof tl.totalDuration === 'function' ? tl.totalDuration() : tl.duration();
      if (isFinite(td)) {
        return td;
      }
    }
    return Infinity;
  }

  function findInScope(id, scope) {
    var candidates = document.querySelectorAll('[id="' + CSS.escape(id) + '"]');
    for (var i = 0; i < candidates.length; i++) {
      if (scopeOf(candidates[i]) === scope) {
        return candidates[i];
      }
    }
    return null;
  }

  /** data-start of el relative to its enclosing composition (number or "id", "id + x", "id - x"). */
  function localStart(el, visiting) {
    var raw = el.getAttribute('data-start');
    if (raw === null || raw.trim() === '') {
      return 0;
    }
    var n = Number(raw);
    if (isFinite(n)) {
      return n;
    }
    var scope = scopeOf(el);
    var text = raw.trim();
    var refId = text;
    var offset = 0;
    var ref = findInScope(text, scope);
    if (!ref) {
      var m = /^(.+?)\s*([+-])\s*([0-9]*\.?[0-9]+)$/.exec(text);
      if (!m) {
        throw HfrError('COMPOSITION_INVALID', describe(el) + ' has data-start="' + raw
            + '": expected seconds or "<clip id> [+|- seconds]"');
      }
      refId = m[1].trim();
      offset = (m[2] === '-' ? -1 : 1) * Number(m[3]);
      ref = findInScope(refId, scope);
    }
    if (!ref) {
      throw HfrError('COMPOSITION_INVALID', describe(el) + ' has data-start="' + raw + '" but no clip with id "'
          + refId + '" exists in the same composition');
    }
    if (visiting.indexOf(ref) >= 0) {
      throw HfrError('COMPOSITION_INVALID', describe(el) + ' has data-start="' + raw + '" which forms a cycle');
    }
    var refDuration = durationOf(ref);
    if (!isFinite(refDuration)) {
      throw HfrError('COMPOSITION_INVALID', describe(el) + ' has data-start="' + raw + '" but clip "' + refId
          + '" has no data-duration');
    }
    return localStart(ref, visiting.concat([el])) + refDuration + offset;
  }

  /**
   * A media element whose literal data-start is in global seconds:
   * HyperFrames' resolveMediaStartSeconds reads it so only with data-hf-media-start-basis="global"
   * (otherwise, as for any element, relative to the enclosing composition).
   */
  function globalMediaStart(el) {
    var media = el.tagName === 'VIDEO' || el.tagName === 'AUDIO';
    var basis = (el.getAttribute('data-hf-media-start-basis') || '').trim().toLowerCase();
    if (!media || basis !== 'global' || el.hasAttribute('data-hf-auto-start')) {
      return null;
    }
    var n = numberAttr(el, 'data-start');
    return n === null || isNaN(n) ? null : Math.max(0, n);
  }

  /** Absolute start in composition seconds: its own data-start plus those of its composition ancestors. */
  function absoluteStart(el) {
    if (startCache.has(el)) {
      return startCache.get(el);
    }
    var scope = scopeOf(el);
    var global = globalMediaStart(el);
    var s = global !== null ? global : localStart(el, []) + (scope ? absoluteStart(scope) : 0);
    startCache.set(el, s);
    return s;
  }

  function rootDuration(root) {
    var d = numberAttr(root, 'data-duration');
    if (d !== null) {
      return d;
    }
    var tl = timelineOf(root);
    if (tl && typeof tl.duration === 'function') {
      return tl.duration();
    }
    // timeline-free root: the end of the last timed child
    var end = NaN;
    root.querySelectorAll(ROOT_SELECTOR).forEach(function (el) {
      var e = absoluteStart(el) + durationOf(el);
      if (isFinite(e) && (isNaN(end) || e > end)) {
        end = e;
      }
    });
    return end;
  }

  // ---------------------------------------------------------------- seek
  var hiddenByUs = []; // {el, value, priority}
  // HyperFrames gives every element with data-start a clip window, with or without class="clip"
  var ROOT_SELECTOR = '.clip, [data-composition-id], [data-start]';

  var HIDDEN_ATTR = 'data-hfr-clip-hidden';
  var hideStyleInstalled = false;
  /**
   * A hidden clip hides everything in it, also a descendant whose own CSS says visibility: visible (which
   * would otherwise override the inherited hidden), as HyperFrames' clip-hidden rule does.
   */
  function installHideStyle() {
    if (hideStyleInstalled) {
      return;
    }
    hideStyleInstalled = true;
    var style = document.createElement('style');
    style.textContent = '[' + HIDDEN_ATTR + '] * { visibility: hidden !important; }';
    (document.head || document.documentElement).appendChild(style);
  }
  function restoreVisibility() {
    for (var i = hiddenByUs.length - 1; i >= 0; i--) {
      var h = hiddenByUs[i];
      h.el.style.setProperty('visibility', h.value, h.priority);
      h.el.removeAttribute(HIDDEN_ATTR);
    }
    hiddenByUs = [];
  }
  function hide(el) {
    installHideStyle();
    hiddenByUs.push({el: el, value: el.style.getPropertyValue('visibility'), priority: el.style.getPropertyPriority('visibility')});
    el.style.setProperty('visibility', 'hidden', 'important');
    el.setAttribute(HIDDEN_ATTR, '');
  }
  function inWindow(t, start, duration) {
    return t + EPS >= start && t + EPS < start + duration;
  }

  var gsapTickerLocked = false;

  function seekTimelines(t) {
    var tls = window.__timelines || {};
    allCompositions().forEach(function (c) {
      var tl = tls[c.getAttribute('data-composition-id')];
      if (!tl || isInnerRoot(c)) {
        return;
      }
      var local = Math.max(0, t - absoluteStart(c));
      var total = typeof tl.totalDuration === 'function' ? tl.totalDuration() : Infinity;
      if (isFinite(total)) {
        local = Math.min(local, total);
      }
      // a timeline registered without {paused: true} would also be advanced by GSAP's ticker when the
      // rAF queue is flushed, by however much virtual time passed since the previous seek: pause it so
      // only the seek decides its time (regression: css-var-fonts showed a later state in chunk 2)
      if (typeof tl.paused === 'function' && typeof tl.pause === 'function' && !tl.paused()) {
        tl.pause();
      }
      // totalTime renders every child in order, so a jump (or a backwards seek) lands on the same
      // state as playing up to t; events are not suppressed so onUpdate-driven drawing runs.
      if (typeof tl.totalTime === 'function') {
        if (tl.totalTime() === local && typeof tl.render === 'function') {
          // GSAP skips rendering when the time does not change (e.g. t = 0 on a fresh page): force it so
          // onUpdate-driven drawing runs on the first frame as on any other
          tl.render(local, false, true);
        } else {
          tl.totalTime(local, false);
        }
      } else if (typeof tl.seek === 'function') {
        tl.seek(local, false);
      }
    });
  }

  function compositionStartMs(animation) {
    var target = animation.effect && animation.effect.target;
    var comp = target && target.closest ? target.closest('[data-composition-id]') : null;
    return comp ? absoluteStart(comp) * 1000 : 0;
  }

  function seekAnimations() {
    if (!document.getAnimations) {
      return;
    }
    document.getAnimations().forEach(function (a) {
      try {
        if (window.CSSTransition && a instanceof CSSTransition) {
          // transitions started by a seek would depend on the previous frame: jump to their end
          a.finish();
          return;
        }
        a.pause();
        // currentTime includes the delay, so an animation declared at load starts at t = 0; inside a
        // nested composition it starts with that composition
        a.currentTime = Math.max(0, nowMs - compositionStartMs(a));
      } catch (e) {
        errors.push('animation not seekable: ' + e);
      }
    });
  }

  function framePath(pattern, k) {
    return '/' + pattern.replace(/%0(\d+)d/, function (_, w) {
      var s = String(k);
      while (s.length < Number(w)) {
        s = '0' + s;
      }
      return s;
    }).replace(/%d/, String(k));
  }

  function seekVideos(t) {
    var pending = [];
    swappedVideos.forEach(function (v) {
      var meta = v.meta;
      var start = Number(meta.start) || 0;
      var duration = meta.duration == null ? Infinity : Number(meta.duration);
      var count = Number(meta.frameCount) || 0;
      if (count <= 0 || !inWindow(t, start, duration) || v.video.hasAttribute(HIDDEN_ATTR)) {
        hide(v.img);
        return;
      }
      coverVideo(v);
      var k = Math.min(count - 1, Math.max(0, Math.floor((t - start) * FPS + 1e-6)));
      if (k !== v.frame) {
        v.frame = k;
        v.img.src = framePath(meta.pattern, k);
        var entry = {done: false};
        v.pending = entry;
        entry.promise = v.img.decode().then(function () { entry.done = true; }, function () {
          entry.done = true;
          errors.push('video frame ' + v.img.src + ' failed to load');
        });
      }
      if (v.pending && !v.pending.done) {
        pending.push(v.pending);
      }
    });
    return pending.length;
  }

  function applyVisibility(t, root) {
    document.querySelectorAll(ROOT_SELECTOR).forEach(function (el) {
      if (el === root || (el.hasAttribute('data-composition-id') && isInnerRoot(el))) {
        return;
      }
      if (!inWindow(t, absoluteStart(el), durationOf(el))) {
        hide(el);
      }
    });
  }

  /**
   * HyperFrames' adapter contract for canvas/WebGL drawing (its Three.js and TypeGPU adapters): every seek sets
   * window.__hfThreeTime and window.__hfTypegpuTime to the time and dispatches a window event 'hf-seek' with
   * detail {time, waitUntil(promise)}; the frame is captured once every promise given to waitUntil settled.
   * (three-boundary-deferred draws its cube from __hfThreeTime in an hf-seek listener: static without this.)
   */
  var seekWaits = []; // {done, promise}
  function dispatchSeekEvent(t) {
    var open = true;
    var detail = {
      time: t,
      waitUntil: function (p) {
        if (!open) {
          throw new Error('hf-seek waitUntil() must be called synchronously from the event listener');
        }
        var entry = {done: false};
        entry.promise = Promise.resolve(p).then(function () { entry.done = true; }, function (e) {
          entry.done = true;
          errors.push('hf-seek waitUntil promise rejected at ' + t + ' s: ' + e);
        });
        seekWaits.push(entry);
      }
    };
    try {
      window.dispatchEvent(new CustomEvent('hf-seek', {detail: detail}));
    } catch (e) {
      errors.push('hf-seek listener failed at ' + t + ' s: ' + e);
    } finally {
      open = false;
    }
  }

  function seek(tSeconds) {
    var t = Math.max(0, Number(tSeconds) || 0);
    window.__hfThreeTime = t;
    window.__hfTypegpuTime = t;
    seekWaits = [];
    if (window.gsap && window.gsap.ticker && !gsapTickerLocked) {
      // free-running tweens follow the virtual clock exactly: no lag smoothing of big seek jumps
      gsapTickerLocked = true;
      try { window.gsap.ticker.lagSmoothing(0); } catch (e) { /* old GSAP */ }
    }
    nowMs = t * 1000;
    reseed(nowMs);
    var root = rootComposition();
    restoreVisibility();
    seekTimelines(t);
    flushAnimationFrames();
    dispatchSeekEvent(t);
    seekAnimations();
    applyVisibility(t, root);
    // videos last: their <img> may also be hidden by a clip window above
    return seekVideos(t) + openSeekWaits().length;
  }

  function openSeekWaits() {
    return seekWaits.filter(function (w) { return !w.done; });
  }

  /** Video frames still decoding plus hf-seek waitUntil promises still open. */
  function pendingVideoFrames() {
    var n = openSeekWaits().length;
    swappedVideos.forEach(function (v) {
      if (v.pending && !v.pending.done) {
        n++;
      }
    });
    return n;
  }

  /** Resolves with the number of frames still pending: 0 when all decoded, more if maxMs passed first. */
  function videoFramesReady(maxMs) {
    var waits = swappedVideos.filter(function (v) { return v.pending && !v.pending.done; })
        .map(function (v) { return v.pending.promise; })
        .concat(openSeekWaits().map(function (w) { return w.promise; }));
    if (waits.length === 0) {
      return Promise.resolve(0);
    }
    return Promise.race([
      Promise.all(waits).then(function () { return 0; }),
      new Promise(function (resolve) { setTimeout(function () { resolve(pendingVideoFrames()); }, maxMs); })
    ]);
  }

  function relativeSrc(url) {
    if (!url) {
      return null;
    }
    try {
      var u = new URL(url, location.href);
      if (u.origin === location.origin) {
        return decodeURIComponent(u.pathname.replace(/^\//, ''));
      }
      return u.href;
    } catch (e) {
      return url;
    }
  }
  function mediaSource(el) {
    if (el.getAttribute('src')) {
      return el.src;
    }
    var s = el.querySelector('source[src]');
    return s ? s.src : null;
  }
  function num(el, names, dflt) {
    for (var i = 0; i < names.length; i++) {
      var v = numberAttr(el, names[i]);
      if (v !== null && !isNaN(v)) {
        return v;
      }
    }
    return dflt;
  }

  function probe() {
    var root = rootComposition();
    if (!root) {
      throw HfrError('COMPOSITION_INVALID', 'no element with data-composition-id');
    }
    // resolve every start now so a broken relative data-start fails the probe, not frame 4711
    document.querySelectorAll(ROOT_SELECTOR).forEach(function (el) { absoluteStart(el); });
    var media = [];
    document.querySelectorAll('video, audio').forEach(function (el) {
      var kind = el.tagName === 'AUDIO' ? 'audio' : 'video';
      var d = numberAttr(el, 'data-duration');
      media.push({
        kind: kind,
        hfrId: el.getAttribute(kind === 'video' ? 'data-hfr-video-id' : 'data-hfr-audio-id'),
        src: relativeSrc(mediaSource(el)),
        startSeconds: absoluteStart(el),
        durationSeconds: d === null || isNaN(d) ? null : d,
        mediaStartSeconds: num(el, ['data-media-start', 'data-playback-start'], 0),
        playbackRate: num(el, ['data-playback-rate'], 1),
        volume: num(el, ['data-volume'], 1),
        hasAudio: kind === 'audio' ? true : el.getAttribute('data-has-audio') === 'true'
      });
    });
    return {
      compositionId: root.getAttribute('data-composition-id'),
      element: describe(root),
      width: num(root, ['data-width'], 0),
      height: num(root, ['data-height'], 0),
      durationSeconds: rootDuration(root),
      timelines: Object.keys(window.__timelines || {}),
      media: media,
      errors: errors.slice(0, 20)
    };
  }

  /**
   * A page whose scripts registered no timeline at all (a CSS-only composition) is static, as HyperFrames renders
   * it: after the engine's bounded wait it accepts it, and the root's data-duration gives its length.
   */
  var staticAccepted = false;
  /** How many GSAP timelines or tweens the page's scripts created (a built but unregistered one is a bug). */
  function gsapTimelinesBuilt() {
    try {
      return window.gsap && gsap.globalTimeline ? gsap.globalTimeline.getChildren(false, true, true).length : 0;
    } catch (e) {
      return 0;
    }
  }
  function acceptStatic() {
    staticAccepted = true;
  }

  window.__hfr = {
    acceptStatic: acceptStatic,
    seek: seek,
    readiness: readiness,
    runScoped: runScoped,
    probe: probe,
    pendingVideoFrames: pendingVideoFrames,
    videoFramesReady: videoFramesReady,
    time: function () { return nowMs / 1000; },
    errors: function () { return errors.slice(); }
  };
})();
