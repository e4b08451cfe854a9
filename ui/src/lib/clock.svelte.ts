/** A ticking clock (unix seconds), shared by everything that shows "in 5 min" or checks a deadline. */
class Clock {
  #now = $state(Math.floor(Date.now() / 1000));
  #started = false;

  get now(): number {
    if (!this.#started && typeof window !== 'undefined') {
      this.#started = true;
      setInterval(() => (this.#now = Math.floor(Date.now() / 1000)), 1000);
    }
    return this.#now;
  }
}

export const clock = new Clock();
