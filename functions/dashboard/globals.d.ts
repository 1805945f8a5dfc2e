// What the page's classic scripts put on window before dashboard.js runs (index.html loads them first).
import type { Chart as ChartJs } from 'chart.js';
import type * as Matrix from 'chartjs-chart-matrix';

declare global {
  const Chart: typeof ChartJs;
  interface Window {
    'chartjs-chart-matrix': typeof Matrix;
  }
}
