// LiveReply browser bridge: injected into a live-commerce console page (Playwright add_init_script), it watches the
// comment list with a MutationObserver and hands every new comment to Python through the exposed binding
// window.__livereplyEmit(message). No polling of the comments themselves: a 1 s health check only looks for the list
// container (a single-page console re-renders it when the host switches tabs or the show restarts).
//
// Messages (plain objects, kind first):
//   {kind: "ready"}                                  the comment list was found and is observed
//   {kind: "missing", key, selector}                 the list was not found within readyTimeoutMs (once)
//   {kind: "lost", key, selector}                    the observed list left the page (once per loss)
//   {kind: "comment", user, text, nativeId, time, initial}
//   {kind: "viewer_enter", user} / {kind: "purchase", user, text}   when the config names selectors for them
//   {kind: "selector_miss", key, selector, html}     an item matched but its user/text part did not (rate-limited)
(config) => {
  if (window.__livereplyBridge) return;
  window.__livereplyBridge = true;
  const S = config.selectors;
  const emit = (msg) => {
    try {
      window.__livereplyEmit(msg);
    } catch (e) {
      /* the binding is gone: the page is closing */
    }
  };
  const seen = new WeakMap(); // element -> signature last emitted (a recycled element with new content is new)
  const misses = {};
  let container = null;
  let observer = null;
  let missingSince = Date.now();
  let reportedMissing = false;
  const itemSelectors = [S.comment, S.viewer_enter, S.purchase].filter(Boolean).join(", ");

  const part = (el, sel) => {
    const node = sel ? el.querySelector(sel) : el;
    return node ? (node.textContent || "").replace(/\s+/g, " ").trim() : null;
  };

  const miss = (key, selector, el) => {
    const now = Date.now();
    if (misses[key] && now - misses[key] < 30000) return;
    misses[key] = now;
    emit({ kind: "selector_miss", key, selector, html: (el.outerHTML || "").slice(0, 300) });
  };

  const read = (el) => {
    if (el.matches(S.comment)) {
      const user = part(el, S.user);
      if (user === null) return miss("user", S.user, el);
      const text = part(el, S.text);
      if (text === null) return miss("text", S.text, el);
      const nativeId = S.id_attribute ? el.getAttribute(S.id_attribute) : null;
      const time = S.time ? part(el, S.time) : null;
      return { kind: "comment", user, text, nativeId, time };
    }
    if (S.viewer_enter && el.matches(S.viewer_enter)) {
      const user = part(el, S.viewer_enter_user || S.user);
      return user ? { kind: "viewer_enter", user } : miss("viewer_enter_user", S.viewer_enter_user || S.user, el);
    }
    if (S.purchase && el.matches(S.purchase)) {
      const user = part(el, S.purchase_user || S.user);
      return user ? { kind: "purchase", user, text: part(el, null) } : miss("purchase_user", S.purchase_user || S.user, el);
    }
    return null;
  };

  const consider = (el, initial) => {
    const msg = read(el);
    if (!msg) return;
    const sig = JSON.stringify([msg.kind, msg.user, msg.text, msg.nativeId || null, msg.time || null]);
    if (seen.get(el) === sig) return;
    seen.set(el, sig);
    msg.initial = initial;
    emit(msg);
  };

  const scan = (node, initial) => {
    if (node.nodeType !== 1) node = node.parentElement;
    if (!node || !container || !container.contains(node)) return;
    const owner = node.closest(itemSelectors);
    if (owner && container.contains(owner)) {
      consider(owner, initial);
      return;
    }
    node.querySelectorAll(itemSelectors).forEach((el) => consider(el, initial));
  };

  const attach = (found) => {
    if (observer) observer.disconnect();
    container = found;
    reportedMissing = false;
    observer = new MutationObserver((mutations) => {
      for (const m of mutations) {
        if (m.type === "characterData") scan(m.target, false);
        else m.addedNodes.forEach((n) => scan(n, false));
      }
    });
    observer.observe(container, { childList: true, subtree: true, characterData: true });
    emit({ kind: "ready" });
    container.querySelectorAll(itemSelectors).forEach((el) => consider(el, true));
  };

  const check = () => {
    if (container && container.isConnected) return;
    const found = document.querySelector(S.comment_list);
    if (found) {
      attach(found);
      return;
    }
    if (container) {
      // it was observed and left the page
      container = null;
      if (observer) observer.disconnect();
      observer = null;
      missingSince = Date.now();
      emit({ kind: "lost", key: "comment_list", selector: S.comment_list });
    } else if (!reportedMissing && Date.now() - missingSince > config.readyTimeoutMs) {
      reportedMissing = true;
      emit({ kind: "missing", key: "comment_list", selector: S.comment_list });
    }
  };

  const start = () => {
    missingSince = Date.now();
    check();
    setInterval(check, 1000);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
};
