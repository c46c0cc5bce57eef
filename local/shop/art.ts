/**
 * Product art as inline SVG (the machine running the demo may be offline:
 * no images, fonts or CDNs). Colours come from the catalog; nothing here is
 * user input.
 */
export type ArtKind =
  | { kind: 'bag'; bag: string; seal: string; label: string }
  | { kind: 'dripbags'; paper: string; accent: string }
  | { kind: 'dripper'; glaze: string; accent: string };

const svg = (body: string): string =>
  `<svg viewBox="0 0 240 180" xmlns="http://www.w3.org/2000/svg" aria-hidden="true" focusable="false">${body}</svg>`;

const bean = (x: number, y: number, angle: number, scale = 1): string =>
  `<g transform="translate(${x} ${y}) rotate(${angle}) scale(${scale})"><ellipse rx="7" ry="9.5" fill="#6b4428"/><path d="M-1.4 -8q4.6 8 0 16" stroke="#3e2716" stroke-width="1.6" fill="none" stroke-linecap="round"/></g>`;

const shadow = '<ellipse cx="120" cy="164" rx="66" ry="7" fill="#000" opacity=".09"/>';

const bag = (c: { bag: string; seal: string; label: string }): string =>
  svg(
    shadow +
      bean(54, 152, -30) +
      bean(188, 155, 24) +
      bean(200, 140, -62, 0.85) +
      `<path d="M82 34h76l9 126q-47 8-94 0z" fill="${c.bag}"/>` +
      '<path d="M150 48l9 112q-6 1-12 1.6l-4-113.6z" fill="#000" opacity=".08"/>' +
      `<path d="M82 34h76l1 14H81z" fill="${c.seal}"/>` +
      '<path d="M87 41h66" stroke="#fff" stroke-opacity=".4" stroke-width="2" stroke-dasharray="4 4"/>' +
      `<circle cx="146" cy="62" r="4.5" fill="${c.seal}"/><circle cx="146" cy="62" r="1.8" fill="${c.bag}"/>` +
      '<rect x="95" y="74" width="50" height="64" rx="5" fill="#fffaf1"/>' +
      `<path d="M95 79a5 5 0 0 1 5-5h40a5 5 0 0 1 5 5v9H95z" fill="${c.label}"/>` +
      bean(120, 106, -25, 0.95) +
      '<rect x="104" y="123" width="32" height="3" rx="1.5" fill="#d8c7b3"/>' +
      '<rect x="109" y="129" width="22" height="3" rx="1.5" fill="#e5d8c8"/>',
  );

const sachet = (x: number, y: number, angle: number, c: { paper: string; accent: string }) =>
  `<g transform="translate(${x} ${y}) rotate(${angle})">` +
  `<rect x="-34" y="-42" width="68" height="84" rx="4" fill="${c.paper}" stroke="#e0d6c6" stroke-width="1.5"/>` +
  `<rect x="-34" y="-42" width="68" height="11" rx="3" fill="${c.accent}"/>` +
  '<path d="M-28 -26h56" stroke="#ddd2c0" stroke-width="1.5" stroke-dasharray="3 3"/>' +
  `<path d="M-12 0h22v6a11 11 0 0 1-22 0z" fill="${c.accent}"/>` +
  `<path d="M10 3h3a4 4 0 0 1 0 8h-3" stroke="${c.accent}" stroke-width="2.5" fill="none"/>` +
  `<path d="M-5 -6q-3-4 0-8M3 -6q-3-4 0-8" stroke="${c.accent}" stroke-width="2" fill="none" stroke-linecap="round" opacity=".7"/>` +
  '<rect x="-18" y="24" width="36" height="3" rx="1.5" fill="#e2d7c6"/>' +
  '<rect x="-12" y="30" width="24" height="3" rx="1.5" fill="#ebe2d4"/>' +
  '</g>';

const dripbags = (c: { paper: string; accent: string }): string =>
  svg(
    shadow +
      sachet(80, 98, -14, c) +
      sachet(160, 98, 13, c) +
      sachet(120, 92, 0, c) +
      bean(58, 156, 40, 0.8) +
      bean(190, 158, -20, 0.8),
  );

const dripper = (c: { glaze: string; accent: string }): string =>
  svg(
    shadow +
      '<path d="M106 28q-6-7 0-14t0-14M124 30q-6-7 0-14t0-14" stroke="#b8c5ce" stroke-width="3" fill="none" stroke-linecap="round" opacity=".8"/>' +
      `<path d="M80 114h80v26a20 20 0 0 1-20 20h-40a20 20 0 0 1-20-20z" fill="${c.accent}"/>` +
      `<path d="M160 122h7a12 12 0 0 1 0 24h-7" stroke="${c.accent}" stroke-width="7" fill="none"/>` +
      '<path d="M80 114h80v8H80z" fill="#000" opacity=".1"/>' +
      `<rect x="86" y="104" width="68" height="11" rx="4" fill="${c.glaze}" stroke="#c9d3da" stroke-width="1.5"/>` +
      `<path d="M72 48h96l-26 58h-44z" fill="${c.glaze}" stroke="#c9d3da" stroke-width="1.5"/>` +
      '<path d="M101 56l8 44M120 56v46M139 56l-8 44" stroke="#cdd7de" stroke-width="2" stroke-linecap="round"/>' +
      `<path d="M166 56q18 4 8 28" stroke="${c.glaze}" stroke-width="8" fill="none" stroke-linecap="round"/>` +
      `<rect x="66" y="40" width="108" height="11" rx="5.5" fill="${c.glaze}" stroke="#c9d3da" stroke-width="1.5"/>` +
      bean(52, 156, -35, 0.8) +
      bean(192, 157, 28, 0.8),
  );

export const productArt = (art: ArtKind): string => {
  switch (art.kind) {
    case 'bag':
      return bag(art);
    case 'dripbags':
      return dripbags(art);
    case 'dripper':
      return dripper(art);
  }
};

export const LOGO_SVG =
  '<svg viewBox="0 0 32 32" xmlns="http://www.w3.org/2000/svg" aria-hidden="true" focusable="false"><circle cx="16" cy="16" r="15" fill="#b5562d"/><g transform="translate(16 16) rotate(-30)"><ellipse rx="7" ry="10" fill="#fff7ee"/><path d="M-1.5 -8.5q5 8.5 0 17" stroke="#b5562d" stroke-width="2" fill="none" stroke-linecap="round"/></g></svg>';

export const FAVICON = `data:image/svg+xml,${encodeURIComponent(LOGO_SVG)}`;
