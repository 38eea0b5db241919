import { useCallback, useRef, useState, type ReactNode, type PointerEvent, type WheelEvent } from 'react';

export interface ViewBox { x: number; y: number; w: number; h: number }

/**
 * An SVG with mouse-wheel zoom (about the cursor) and drag-to-pan. Content is in world units
 * (metres for maps); `initial` is the view to start from and to return to on "Fit".
 */
export function PanZoomSvg({ initial, children, className, label, svgRef }: { initial: ViewBox; children: ReactNode; className?: string; label: string; svgRef?: (el: SVGSVGElement | null) => void }) {
  const [view, setView] = useState<ViewBox>(initial);
  const [lastInitial, setLastInitial] = useState(initial);
  const drag = useRef<{ x: number; y: number; view: ViewBox } | null>(null);
  const el = useRef<SVGSVGElement | null>(null);

  // A new map (different bounds) resets the view.
  if (initial.x !== lastInitial.x || initial.y !== lastInitial.y || initial.w !== lastInitial.w || initial.h !== lastInitial.h) {
    setLastInitial(initial);
    setView(initial);
  }

  const toWorld = useCallback((clientX: number, clientY: number, v: ViewBox) => {
    const rect = el.current?.getBoundingClientRect();
    if (!rect || rect.width === 0) return { x: v.x + v.w / 2, y: v.y + v.h / 2 };
    // preserveAspectRatio="xMidYMid meet": the view is scaled uniformly and centred.
    const scale = Math.max(v.w / rect.width, v.h / rect.height);
    const offX = (rect.width * scale - v.w) / 2;
    const offY = (rect.height * scale - v.h) / 2;
    return { x: v.x - offX + (clientX - rect.left) * scale, y: v.y - offY + (clientY - rect.top) * scale };
  }, []);

  const onWheel = (e: WheelEvent<SVGSVGElement>) => {
    const factor = Math.exp(e.deltaY * 0.0015);
    setView((v) => {
      const p = toWorld(e.clientX, e.clientY, v);
      const w = Math.min(initial.w * 8, Math.max(initial.w / 40, v.w * factor));
      const k = w / v.w;
      return { x: p.x - (p.x - v.x) * k, y: p.y - (p.y - v.y) * k, w, h: v.h * k };
    });
  };
  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    drag.current = { x: e.clientX, y: e.clientY, view };
    (e.target as Element).setPointerCapture?.(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    const rect = el.current?.getBoundingClientRect();
    if (!d || !rect) return;
    const scale = Math.max(d.view.w / rect.width, d.view.h / rect.height);
    setView({ ...d.view, x: d.view.x - (e.clientX - d.x) * scale, y: d.view.y - (e.clientY - d.y) * scale });
  };
  const zoom = (k: number) => setView((v) => ({ x: v.x + (v.w * (1 - k)) / 2, y: v.y + (v.h * (1 - k)) / 2, w: v.w * k, h: v.h * k }));

  return (
    <div className={`panzoom ${className ?? ''}`}>
      <svg
        ref={(node) => {
          el.current = node;
          svgRef?.(node);
        }}
        viewBox={`${view.x} ${view.y} ${view.w} ${view.h}`}
        preserveAspectRatio="xMidYMid meet"
        role="img"
        aria-label={label}
        onWheel={onWheel}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={() => (drag.current = null)}
        onPointerLeave={() => (drag.current = null)}
      >
        {children}
      </svg>
      <div className="panzoom-buttons">
        <button type="button" onClick={() => zoom(0.7)} aria-label="Zoom in">+</button>
        <button type="button" onClick={() => zoom(1 / 0.7)} aria-label="Zoom out">−</button>
        <button type="button" onClick={() => setView(initial)}>Fit</button>
      </div>
    </div>
  );
}
