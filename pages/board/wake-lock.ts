/**
 * Keeps the screen on where the browser has the Screen Wake Lock API. The lock is released
 * whenever the page is hidden, so it is asked for again each time the page is shown.
 */
export function keepScreenAwake(): void {
  if (!('wakeLock' in navigator)) return;
  let lock: WakeLockSentinel | undefined;
  const request = async () => {
    if (document.visibilityState !== 'visible' || (lock && !lock.released)) return;
    try {
      lock = await navigator.wakeLock.request('screen');
    } catch {
      // Refused (no user activation, battery saver, policy): the TV's own settings must do.
    }
  };
  document.addEventListener('visibilitychange', () => void request());
  void request();
}
