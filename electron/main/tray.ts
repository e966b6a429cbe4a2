// The tray: icon for mode and pending decisions, counts in the tooltip, and a menu that reaches core directly.
import type { Mode } from '../core/model';
import { noticeName } from '../ipc/app-names';
import type { ElectronDeps, MenuItemSpec, TrayLike } from './deps';
import type { ShellView } from './shell-state';
import { trayIconBitmap } from './tray-icon';

export interface TrayActions {
  open(): void;
  setMode(mode: Mode): void;
  openDecision(decisionId: string): void;
  pauseNotifications(minutes: number): void;
  quit(): void;
}

const MODE_LABELS: Record<Mode, string> = {
  monitor: 'Monitor (show what is blocked)',
  learning: 'Learning (allow and record)',
  enforce: 'Enforce (block unknown apps)',
  off: 'Off (no filters)',
};
const MODE_NAMES: Record<Mode, string> = { monitor: 'Monitor', learning: 'Learning', enforce: 'Enforce', off: 'Off' };
const MAX_LISTED_DECISIONS = 10;

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export function trayTooltip(view: ShellView): string {
  const { status } = view;
  return [
    `Portcullis: ${MODE_NAMES[view.mode]}`,
    plural(view.decisions.length, 'decision waiting', 'decisions waiting'),
    plural(status.blockedApps, 'blocked app', 'blocked apps'),
    plural(status.rules, 'rule', 'rules'),
  ].join('\n');
}

export function trayMenu(view: ShellView, actions: TrayActions, now: number): MenuItemSpec[] {
  const listed = view.decisions.slice(0, MAX_LISTED_DECISIONS);
  const decisionItems: MenuItemSpec[] = listed.length
    ? listed.map((d) => ({
        // The file name, not the friendly one a file name alone can claim (app-names.ts).
        label: `${noticeName(d.app)} (${plural(d.attempts, 'attempt', 'attempts')})`,
        click: () => actions.openDecision(d.id),
      }))
    : [{ label: 'None', enabled: false }];
  if (view.decisions.length > listed.length) {
    decisionItems.push({ label: `${view.decisions.length - listed.length} more in the window…`, click: actions.open });
  }
  const pausedUntil = view.settings.notifications.pausedUntil;
  const paused = pausedUntil !== undefined && pausedUntil > now;
  return [
    { label: 'Open Portcullis', click: actions.open },
    { type: 'separator' },
    {
      label: 'Mode',
      type: 'submenu',
      submenu: (Object.keys(MODE_LABELS) as Mode[]).map((mode) => ({
        label: MODE_LABELS[mode],
        type: 'radio',
        checked: view.mode === mode,
        click: () => actions.setMode(mode),
      })),
    },
    { label: `Pending decisions (${view.decisions.length})`, type: 'submenu', submenu: decisionItems },
    paused
      ? { label: 'Resume notifications', click: () => actions.pauseNotifications(0) }
      : { label: 'Pause notifications for 1 hour', click: () => actions.pauseNotifications(60) },
    { type: 'separator' },
    { label: 'Quit Portcullis', click: actions.quit },
  ];
}

/** What a menu shows and which decision each item opens: equal keys, equal menus. */
function menuKey(menu: readonly MenuItemSpec[], view: ShellView): string {
  const shown = JSON.stringify(menu, (_key, value: unknown) => (typeof value === 'function' ? undefined : value));
  return `${shown}|${view.decisions
    .slice(0, MAX_LISTED_DECISIONS)
    .map((d) => d.id)
    .join('|')}`;
}

export class TrayController {
  private readonly tray: TrayLike;
  private iconKey = '';
  private tooltip: string | undefined;
  private menuKey: string | undefined;
  private readonly size: number;

  constructor(
    private readonly deps: ElectronDeps,
    private readonly actions: TrayActions,
    private readonly now: () => number = Date.now,
  ) {
    this.size = deps.trayIconSize();
    this.tray = deps.createTray(deps.imageFromBitmap(trayIconBitmap('off', false, this.size), this.size));
    this.tray.on('click', actions.open);
  }

  update(view: ShellView): void {
    const pending = view.decisions.length > 0;
    const key = `${view.mode}:${pending}`;
    if (key !== this.iconKey) {
      this.iconKey = key;
      this.tray.setImage(this.deps.imageFromBitmap(trayIconBitmap(view.mode, pending, this.size), this.size));
    }
    // Under a flood every delta batch carries new counters (ten a second); the shell's tooltip and native menu are
    // set again only when what they show changed, not rebuilt per batch.
    const tooltip = trayTooltip(view);
    if (tooltip !== this.tooltip) {
      this.tooltip = tooltip;
      this.tray.setToolTip(tooltip);
    }
    const menu = trayMenu(view, this.actions, this.now());
    const shown = menuKey(menu, view);
    if (shown !== this.menuKey) {
      this.menuKey = shown;
      this.tray.setContextMenu(this.deps.buildMenu(menu));
    }
  }

  destroy(): void {
    this.tray.destroy();
  }
}
