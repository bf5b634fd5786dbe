import { AlertKind, AlertSeverity, type DeviceKind, type KioskAlert } from '../../common/contract/kiosk-api.js';

export interface RaiseAlert {
  /** One id per condition, e.g. `printer-not-ready` or `device-disconnected:reader`. */
  id: string;
  kind: AlertKind;
  severity: AlertSeverity;
  device: DeviceKind | null;
  message: string;
}

/**
 * The conditions a technician should see (printer not ready before issuance, a device gone,
 * quarantined events...). Raising an open alert again updates it and counts; resolving keeps it
 * for a while so the technician sees what happened while nobody was looking.
 */
export class AlertBoard {
  private readonly alerts = new Map<string, KioskAlert>();

  constructor(
    private readonly now: () => Date,
    private readonly keepResolved = 50,
  ) {}

  raise(alert: RaiseAlert): KioskAlert {
    const at = this.now().toISOString();
    const open = this.alerts.get(alert.id);
    const next: KioskAlert =
      open && open.resolvedAt === null
        ? { ...open, severity: alert.severity, message: alert.message.slice(0, 300), lastSeenAt: at, count: open.count + 1 }
        : { ...alert, message: alert.message.slice(0, 300), raisedAt: at, lastSeenAt: at, count: 1, resolvedAt: null };
    // Re-inserting keeps the map in order of last change.
    this.alerts.delete(alert.id);
    this.alerts.set(alert.id, next);
    return next;
  }

  resolve(id: string): void {
    const open = this.alerts.get(id);
    if (!open || open.resolvedAt !== null) return;
    this.alerts.set(id, { ...open, resolvedAt: this.now().toISOString() });
    this.trim();
  }

  isOpen(id: string): boolean {
    return this.alerts.get(id)?.resolvedAt === null;
  }

  /** Open alerts first (newest first), then resolved ones (newest first). */
  list(): KioskAlert[] {
    const all = [...this.alerts.values()].reverse();
    return [...all.filter((a) => a.resolvedAt === null), ...all.filter((a) => a.resolvedAt !== null)];
  }

  private trim(): void {
    const resolved = [...this.alerts.values()].filter((a) => a.resolvedAt !== null);
    for (const old of resolved.slice(0, Math.max(0, resolved.length - this.keepResolved))) this.alerts.delete(old.id);
  }
}
