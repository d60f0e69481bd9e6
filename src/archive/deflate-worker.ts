// Worker thread entry: runs deflate tasks and moves the results back without copying.
import { parentPort } from "node:worker_threads";
import { runTask, transferables, type DeflateTask } from "./deflate-task.js";

const port = parentPort!;
port.on("message", ({ id, task }: { id: number; task: DeflateTask }) => {
  const outcome = runTask(task);
  port.postMessage({ id, outcome }, transferables(outcome));
});
