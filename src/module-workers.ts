// Starts a worker thread or a child process on one of this project's modules, whether the project runs compiled (dist/)
// or from its TypeScript sources through tsx (tests, a checkout without a build).
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker running `module` (a URL made with `import.meta.url`, ending `.ts` when the caller runs from source), started
 * with `options` (e.g. its `workerData`). A worker
 * does not inherit the loader hooks of the thread that starts it, so from source it registers tsx first, as
 * bin/coverage-bot.js does.
 *
 * @example
 * const worker = startModuleWorker(new URL(`./tag-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
 */
export function startModuleWorker(module: URL, options: WorkerOptions = {}): Worker {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, options);
  // tsx's CommonJS API entry cannot register the ESM hooks from a worker; its ESM entry sits beside it as .mjs. It is
  // resolved from here, so the worker finds it whatever the working directory.
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** The URL of the sibling module `name` of `here` (an `import.meta.url`), in whichever form `here` itself runs. */
export function siblingModule(here: string, name: string): URL {
  return new URL(`./${name}${here.endsWith('.ts') ? '.ts' : '.js'}`, here);
}

/**
 * A child process running `module` (as for startModuleWorker) with an IPC channel that carries typed arrays (the
 * structured clone, not JSON). Its output goes to this process's stdout and stderr. A process of its own, where a
 * worker thread would share this one's native heap: onnxruntime-node 1.14 corrupts it when a worker holding a session
 * ends (`free(): invalid next size`, seen here), which would take the whole process down.
 */
export function startModuleProcess(module: URL): ChildProcess {
  // From source, tsx's loader is registered in the child as `node --import tsx` would.
  const execArgv = module.pathname.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
  return fork(fileURLToPath(module), [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

interface Pending<Job, Result> {
  job: Job;
  resolve: (result: Result) => void;
  reject: (error: Error) => void;
}

/**
 * The jobs of a pool of workers: each job goes to the first worker with fewer than `inFlight` jobs (sent ahead, so a
 * worker never waits for its parent between two), results settle whichever job they name, and a failure rejects
 * every job waiting or running. The pool owns the workers; this only tracks their jobs.
 */
export class JobQueue<W, Job extends { id: number }, Result> {
  private readonly waiting: Array<Pending<Job, Result>> = [];
  private readonly running = new Map<W, Map<number, Pending<Job, Result>>>();
  private nextId = 0;
  private failure: Error | null = null;
  private closedWith: Error | null = null;

  constructor(
    workers: readonly W[],
    private readonly inFlight: number,
    /** Hands a job to a worker. */
    private readonly send: (worker: W, job: Job) => void,
  ) {
    for (const worker of workers) this.running.set(worker, new Map());
  }

  get workers(): W[] {
    return [...this.running.keys()];
  }

  get closed(): boolean {
    return this.closedWith !== null;
  }

  /** Queues the job `make` builds around its id; settles when a worker's result for it arrives. */
  submit(make: (id: number) => Job): Promise<Result> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closedWith) return Promise.reject(this.closedWith);
    return new Promise((resolve, reject) => {
      this.waiting.push({ job: make(this.nextId++), resolve, reject });
      this.dispatch();
    });
  }

  /** A worker's outcome for job `id`; an id it is not running is ignored. */
  settle(worker: W, id: number, outcome: { result: Result } | { error: Error }): void {
    const jobs = this.running.get(worker);
    const pending = jobs?.get(id);
    if (!jobs || !pending) return;
    jobs.delete(id);
    if ('result' in outcome) pending.resolve(outcome.result);
    else pending.reject(outcome.error);
    this.dispatch();
  }

  /** Rejects every job with `error`, and every later one (the first failure is kept). */
  fail(error: Error): void {
    this.failure ??= error;
    this.rejectAll(this.failure);
  }

  /** Takes no more jobs and rejects those not done, with `reason`. */
  close(reason: Error): void {
    this.closedWith ??= reason;
    this.rejectAll(reason);
  }

  private dispatch(): void {
    for (const [worker, jobs] of this.running) {
      while (jobs.size < this.inFlight && this.waiting.length > 0) {
        const pending = this.waiting.shift()!;
        jobs.set(pending.job.id, pending);
        this.send(worker, pending.job);
      }
    }
  }

  private rejectAll(error: Error): void {
    for (const pending of this.waiting.splice(0)) pending.reject(error);
    for (const jobs of this.running.values()) {
      for (const pending of jobs.values()) pending.reject(error);
      jobs.clear();
    }
  }
}
