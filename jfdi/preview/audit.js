/* What a person would see of a rendered component, and whether they can use it: the checks the
 * preview frame runs after each render (runtime.js calls them; the document holds this file
 * beside the runtime). `visible` measures the text and the elements a person can see; `audit`
 * runs axe-core (static/axe.js, which the frame receives only after the render) and the checks
 * axe leaves out, touch targets first. Nothing here changes the page. */
window.__jfdiAudit = (() => {
  "use strict";
  const MIN_CONTRAST = 1.25; // below this, text is the colour of what is behind it (white on white)
  const MIN_FONT_PX = 4;
  const MAX_RULES = 10;
  const DRAWN = new Set(["IMG", "svg", "CANVAS", "VIDEO", "INPUT", "SELECT", "TEXTAREA", "PROGRESS", "METER", "HR", "IFRAME"]);
  const TARGETS = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=link], " +
    "[role=checkbox], [role=radio], [role=switch], [role=tab], [role=menuitem], [role=option], [role=slider]";

  // ---- colours: whatever syntax the style uses (Tailwind 4 writes oklch), as the screen draws it
  const pixel = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
  const colours = new Map();
  function rgba(colour) {
    if (!colours.has(colour)) {
      pixel.clearRect(0, 0, 1, 1);
      pixel.fillStyle = "rgba(0,0,0,0)";
      pixel.fillStyle = colour;
      pixel.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = pixel.getImageData(0, 0, 1, 1).data;
      colours.set(colour, [r, g, b, a / 255]);
    }
    return colours.get(colour);
  }
  const over = ([r, g, b, a], [R, G, B]) => [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a)];

  // The colour behind an element: its own background and its ancestors', on the page's white.
  function backdrop(element) {
    const layers = [];
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255]);
  }

  function luminance(rgb) {
    const [r, g, b] = rgb.map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function contrast(a, b) {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  }

  // ---- what is on screen ------------------------------------------------------------------
  function onScreen(element) {
    const box = element.getBoundingClientRect();
    if (box.width < 2 || box.height < 2 || box.right <= 0 || box.bottom <= 0) return null;
    const shown = element.checkVisibility({ opacityProperty: true, visibilityProperty: true, checkOpacity: true, checkVisibilityCSS: true });
    return shown ? box : null;
  }

  function ownText(element) {
    let length = 0;
    for (const node of element.childNodes) if (node.nodeType === 3) length += node.textContent.trim().length;
    return length;
  }

  function textShows(element, style) {
    if (parseFloat(style.fontSize) < MIN_FONT_PX) return false;
    const colour = rgba(style.webkitTextFillColor || style.color);
    if (colour[3] < 0.1) return style.backgroundImage !== "none"; // gradient text: the background is the ink
    const behind = backdrop(element);
    return contrast(over(colour, behind), behind) >= MIN_CONTRAST;
  }

  // Something other than text a person sees: a control or a picture, or a box that stands out
  // from what is behind it (a fill, a border, a shadow).
  function drawn(element, style) {
    if (DRAWN.has(element.tagName) && !(element.tagName === "INPUT" && element.type === "hidden")) return true;
    if (style.backgroundImage !== "none" || style.boxShadow !== "none") return true;
    const behind = element.parentElement ? backdrop(element.parentElement) : [255, 255, 255];
    const fill = rgba(style.backgroundColor);
    if (fill[3] > 0 && contrast(over(fill, behind), behind) >= MIN_CONTRAST) return true;
    return ["Top", "Right", "Bottom", "Left"].some((side) => {
      if (parseFloat(style[`border${side}Width`]) < 1 || style[`border${side}Style`] === "none") return false;
      const line = rgba(style[`border${side}Color`]);
      return line[3] > 0.1 && contrast(over(line, behind), behind) >= MIN_CONTRAST;
    });
  }

  /** {text: characters of visible text, elements: visible elements, width, height: the box they
   * fill, blank: nothing at all a person would see}. */
  function visible(root) {
    let text = 0, elements = 0;
    let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
    for (const element of root.querySelectorAll("*")) {
      if (element.ownerSVGElement) continue; // an SVG counts once, as a whole
      const box = onScreen(element);
      if (!box) continue;
      const style = getComputedStyle(element);
      const characters = ownText(element);
      const reads = characters > 0 && textShows(element, style);
      if (!reads && !drawn(element, style)) continue;
      if (reads) text += characters;
      elements += 1;
      left = Math.min(left, box.left); top = Math.min(top, box.top);
      right = Math.max(right, box.right); bottom = Math.max(bottom, box.bottom);
    }
    const width = elements ? Math.round(right - left) : 0;
    const height = elements ? Math.round(bottom - top) : 0;
    return { text, elements, width, height, blank: elements === 0 };
  }

  // ---- touch targets (axe's target-size is switched off: this one knows the gloves setting) --
  function targetBox(element) {
    // A checkbox's label takes the tap too.
    const boxes = [element, ...(element.labels || [])].map((node) => node.getBoundingClientRect());
    return boxes.reduce((best, box) => (box.width * box.height > best.width * best.height ? box : best));
  }

  function inline(element) {
    // A link inside a sentence is exempt (WCAG 2.5.8: inline).
    if (getComputedStyle(element).display !== "inline" || !element.parentElement) return false;
    return element.parentElement.textContent.trim().length > element.textContent.trim().length;
  }

  function smallTargets(root, minimum) {
    const targets = [...root.querySelectorAll(TARGETS)]
      .filter((element) => !element.disabled && onScreen(element) && !inline(element))
      .map((element) => ({ element, box: targetBox(element) }));
    const centre = (box) => [box.left + box.width / 2, box.top + box.height / 2];
    const small = targets.filter(({ box }) => box.width < minimum - 0.5 || box.height < minimum - 0.5);
    if (minimum > 24) return small; // 44 px (2.5.5) has no spacing exception
    // 2.5.8's spacing exception: a small target is fine when a circle of the minimum's diameter
    // around it touches no other target and no other small target's circle.
    return small.filter((target) => {
      const [x, y] = centre(target.box);
      return targets.some((other) => {
        if (other === target) return false;
        const [ox, oy] = centre(other.box);
        if (small.includes(other) && Math.hypot(x - ox, y - oy) < minimum) return true;
        const nearX = Math.max(other.box.left, Math.min(x, other.box.right));
        const nearY = Math.max(other.box.top, Math.min(y, other.box.bottom));
        return Math.hypot(x - nearX, y - nearY) < minimum / 2;
      });
    });
  }

  function describe(element) {
    const id = element.id ? `#${element.id}` : "";
    const name = (element.getAttribute("aria-label") || element.textContent || element.getAttribute("placeholder") || "").trim().slice(0, 30);
    return `${element.tagName.toLowerCase()}${id}${name ? ` "${name}"` : ""}`;
  }
  const opening = (html) => (html.match(/^<[^>]*>/) || [html])[0].slice(0, 160);

  function touchTargets(root, minimum) {
    const small = smallTargets(root, minimum);
    if (!small.length) return null;
    const first = small[0];
    const { width, height } = first.box;
    return {
      rule: "touch-target",
      impact: "serious",
      help: `Touch targets must be at least ${minimum}x${minimum} px` + (minimum > 24 ? " (gloves: WCAG 2.5.5)" : " (WCAG 2.2 AA, 2.5.8)") +
        `: give them padding or a minimum size (Tailwind min-h-${minimum / 4} min-w-${minimum / 4})`,
      target: describe(first.element),
      html: opening(first.element.outerHTML),
      count: small.length,
      detail: `${Math.round(width)}x${Math.round(height)} px`,
    };
  }

  /** Serious and critical problems: axe-core's (touch targets from `touchTargets`), each
   * {rule, impact, help, target, html, count}; resolves {violations, tool}. */
  async function audit(root, minimum) {
    const axe = window.axe;
    const results = await axe.run(root, { resultTypes: ["violations"], rules: { "target-size": { enabled: false } } });
    const violations = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({
        rule: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
        target: [].concat(v.nodes[0].target[0]).join(" "), html: opening(v.nodes[0].html),
      }));
    const targets = touchTargets(root, minimum);
    if (targets) violations.push(targets);
    return { violations: violations.slice(0, MAX_RULES), tool: `axe-core ${axe.version} and touch targets of ${minimum} px` };
  }

  return { visible, audit };
})();
