import type { Lang } from './i18n.js';

/** React Flow's screen-reader texts (its ariaLabelConfig) in the interface language. */
export function canvasAria(lang: Lang) {
  if (lang === 'en') return undefined; // React Flow's own English
  return {
    'node.a11yDescription.default': '按回车或空格选中步骤，按删除键删除，按 Esc 取消。',
    'node.a11yDescription.keyboardDisabled': '按回车或空格选中步骤，然后可用方向键移动它；按删除键删除，按 Esc 取消。',
    'node.a11yDescription.ariaLiveMessage': ({ direction, x, y }: { direction: string; x: number; y: number }) => `已向${({ up: '上', down: '下', left: '左', right: '右' } as Record<string, string>)[direction] ?? direction}移动，新位置 x: ${x}，y: ${y}`,
    'edge.a11yDescription.default': '按回车或空格选中连线，然后按删除键删除，按 Esc 取消。',
    'controls.ariaLabel': '画布控制',
    'controls.zoomIn.ariaLabel': '放大',
    'controls.zoomOut.ariaLabel': '缩小',
    'controls.fitView.ariaLabel': '适应画布',
    'controls.interactive.ariaLabel': '锁定或解锁画布',
    'minimap.ariaLabel': '缩略图',
    'handle.ariaLabel': '连接点',
  };
}
