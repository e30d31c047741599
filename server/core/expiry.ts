/**
 * Deadlines for many items (socket token expiries) served by one timer instead of one per item:
 * deadlines fall into slots of `slotMs`, and a single interval, running only while something is
 * tracked, fires each slot once its time has come. An item fires at most `slotMs` late, never early.
 */
export class ExpiryWheel<T extends object> {
  private readonly slots = new Map<number, Set<T>>();
  private readonly slotOf = new Map<T, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly fire: (item: T) => void,
    private readonly slotMs = 250,
  ) {}

  /** (Re)sets the item's deadline (ms since the epoch). */
  track(item: T, at: number): void {
    this.untrack(item);
    const slot = Math.ceil(at / this.slotMs);
    let set = this.slots.get(slot);
    if (!set) this.slots.set(slot, (set = new Set()));
    set.add(item);
    this.slotOf.set(item, slot);
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), this.slotMs);
      this.timer.unref();
    }
  }

  untrack(item: T): void {
    const slot = this.slotOf.get(item);
    if (slot === undefined) return;
    this.slotOf.delete(item);
    const set = this.slots.get(slot)!;
    set.delete(item);
    if (set.size === 0) this.slots.delete(slot);
    if (this.slotOf.size === 0) this.stop();
  }

  get size(): number {
    return this.slotOf.size;
  }

  private tick(): void {
    const now = Math.floor(Date.now() / this.slotMs);
    // Every slot whose time has come, however late the timer ran (a few thousand slots at most).
    const due = [...this.slots.keys()].filter((slot) => slot <= now);
    for (const slot of due) {
      const set = this.slots.get(slot);
      if (!set) continue;
      this.slots.delete(slot);
      for (const item of set) {
        this.slotOf.delete(item);
        try {
          this.fire(item);
        } catch {
          // One item's failure must not stop the others (fire is expected not to throw).
        }
      }
    }
    if (this.slotOf.size === 0) this.stop();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
