export interface Figure {
  value: number;
  unit: string;
  target: string;
  met: boolean | null;
}
