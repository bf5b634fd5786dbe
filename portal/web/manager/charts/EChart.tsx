import { useEffect, useRef } from 'react';
import type { ChartOption } from './echarts-core.js';

type ChartInstance = ReturnType<(typeof import('./echarts-core.js'))['echarts']['init']>;

/** ECharts is most of the console's code: it is fetched when the first chart is shown, not at sign-in. */
const loadECharts = () => import('./echarts-core.js').then((m) => m.echarts);

/**
 * One chart. It is a picture for the eye (role img, named): the numbers it draws are in the table
 * beside it, which is what a screen reader reads. Created once per mount, updated with each option,
 * resized with its box, disposed on unmount.
 */
export function EChart({ option, label, testId }: { option: ChartOption; label: string; testId: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ChartInstance | null>(null);
  const latest = useRef(option);
  latest.current = option;

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    let disposed = false;
    let resize: ResizeObserver | null = null;
    void loadECharts().then((echarts) => {
      if (disposed) return;
      const instance = echarts.init(element, null, { renderer: 'svg' });
      chart.current = instance;
      instance.setOption(latest.current, { notMerge: true });
      resize = new ResizeObserver(() => instance.resize());
      resize.observe(element);
    });
    return () => {
      disposed = true;
      resize?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} className="chart" role="img" aria-label={label} data-testid={testId} />;
}

