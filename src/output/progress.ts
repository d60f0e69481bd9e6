// A spinner for people: only when stderr is a terminal and --debug is off (debug lines and a
// spinner would garble each other). Loaded lazily so scripted runs never pay for ora.
export interface Progress {
  update(text: string): void;
  stop(): void;
}

export async function createProgress(enabled: boolean): Promise<Progress> {
  if (!enabled || !process.stderr.isTTY || !(process.stderr.columns > 0)) return { update: () => {}, stop: () => {} };
  const { default: ora } = await import("ora");
  const spinner = ora({ stream: process.stderr, discardStdin: false });
  return {
    update(text) {
      spinner.text = text;
      if (!spinner.isSpinning) spinner.start();
    },
    stop() {
      spinner.stop();
    },
  };
}
