import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const AXIS = { stroke: '#8b95a3', grid: { stroke: '#2a313b', width: 1 }, ticks: { stroke: '#2a313b', width: 1 }, font: '11px system-ui, sans-serif' };

const HALF_WEEK = 3.5 * 86_400;

export interface ChartSeries {
  label: string;
  color: string;
  values: (number | null)[];
  /** Bars instead of a line with points. */
  bars?: boolean;
  /** Unit shown in the legend and on the y axis, e.g. "min". */
  unit?: string;
}

/**
 * A uPlot time chart (x in seconds since the epoch) that follows its container's width. uPlot sizes
 * its elements through element.style (CSSOM), which the CSP's `style-src 'self'` allows.
 */
export function UChart({ x, series, height = 200, title }: { x: number[]; series: ChartSeries[]; height?: number; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const unit = series[0]?.unit ?? '';
    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height,
      cursor: { drag: { x: false, y: false } },
      legend: { show: true, live: true },
      // Half a week of room either side, so the first and last weekly bars are whole.
      scales: {
        x: { time: true, range: (_u, min, max) => [min - HALF_WEEK, max + HALF_WEEK] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.15)] },
      },
      axes: [
        {
          ...AXIS,
          // One tick per week (the Monday) while they fit; otherwise uPlot's own.
          ...(x.length <= 14 && { splits: () => x }),
          values: (_u, splits) => splits.map((s) => new Date(s * 1000).toISOString().slice(5, 10)),
        },
        {
          ...AXIS,
          size: 64,
          ...(series.every((s) => s.bars) && { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }),
          values: (_u, splits) => splits.map((s) => `${Math.round(s * 100) / 100}${unit ? ` ${unit}` : ''}`),
        },
      ],
      series: [
        { label: 'week of', value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(0, 10)) },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          fill: s.bars ? `${s.color}99` : undefined,
          paths: s.bars ? uPlot.paths.bars!({ size: [0.6, 48] }) : undefined,
          points: { show: !s.bars, size: 6, fill: s.color },
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => (v === null ? '—' : `${Math.round(v * 10) / 10}${s.unit ? ` ${s.unit}` : ''}`),
        })),
      ],
    };
    const chart = new uPlot(opts, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
    const ro = new ResizeObserver(() => chart.setSize({ width: Math.max(240, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.destroy();
    };
  }, [x, series, height]);
  return <div ref={box} className="uchart" role="img" aria-label={title} />;
}
