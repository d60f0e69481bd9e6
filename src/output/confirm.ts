// The one yes/no question of a destructive command, asked on the terminal: the question on
// stderr (stdout carries only the document), the answer from stdin. Not a terminal: no asking.
// End of input counts as "no"; Ctrl-C interrupts as it does everywhere else (exit 130).
import { createInterface } from "node:readline";

export function terminalConfirm(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): ((question: string) => Promise<boolean>) | undefined {
  if (!input.isTTY) return undefined;
  return (question) =>
    new Promise<boolean>((resolve) => {
      const rl = createInterface({ input, output, terminal: true });
      let answered = false;
      // In raw mode the terminal sends Ctrl-C as a key: hand it to the process's own SIGINT handling.
      rl.on("SIGINT", () => process.kill(process.pid, "SIGINT"));
      rl.on("close", () => {
        if (answered) return;
        output.write("\n");
        resolve(false);
      });
      rl.question(`${question} [y/N] `, (answer) => {
        answered = true;
        rl.close();
        resolve(/^\s*y(es)?\s*$/i.test(answer));
      });
    });
}
