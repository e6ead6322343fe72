/** The workbench theme's colours and font, read from the CSS variables VS Code sets on the webview's body. */

export interface Theme {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  primary: string;
  partial: string;
  secondary: string;
  accent: string;
  fontFamily: string;
  fontSize: number;
}

export function readTheme(): Theme {
  const style = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    foreground: v('--vscode-foreground', '#cccccc'),
    muted: v('--vscode-descriptionForeground', '#9d9d9d'),
    grid: v('--vscode-editorWidget-border', v('--vscode-panel-border', 'rgba(128,128,128,0.35)')),
    background: v('--vscode-editor-background', '#1e1e1e'),
    primary: v('--vscode-charts-blue', '#3794ff'),
    partial: v('--vscode-charts-orange', '#d18616'),
    secondary: v('--vscode-charts-green', '#89d185'),
    accent: v('--vscode-charts-purple', '#b180d7'),
    fontFamily: v('--vscode-font-family', 'sans-serif'),
    fontSize: Number.parseFloat(v('--vscode-font-size', '13')) || 13,
  };
}

/** Calls `onChange` when the theme changes: VS Code swaps the body's `vscode-light`/`vscode-dark`/… class. */
export function watchTheme(onChange: () => void): void {
  new MutationObserver(() => onChange()).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
}

/** `#rrggbb` or `rgb(…)` with an alpha, for fills under lines and hover states. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (hex) {
    const n = Number.parseInt(hex[1]!, 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^)]+)\)$/.exec(color);
  if (rgb) {
    const [r, g, b] = rgb[1]!.split(',').map((x) => x.trim());
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  return color;
}
