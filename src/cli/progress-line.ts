import type { SubcommandIo } from './subcommand.js'

/** Where progress goes: stderr, rewritten in place on a terminal, one line per update elsewhere. */
export interface ProgressIo extends SubcommandIo {
  readonly stderrIsTTY: boolean
}

/** Shows progress on stderr once an introspection has run for `delayMs`; silent for fast ones. */
export class ProgressLine {
  private latest: string | undefined
  private shown = false
  private readonly timer: NodeJS.Timeout

  constructor(
    private readonly io: ProgressIo,
    delayMs: number,
  ) {
    this.timer = setTimeout(() => {
      this.shown = true
      if (this.latest !== undefined) this.write(this.latest)
    }, delayMs)
    this.timer.unref()
  }

  update(message: string): void {
    this.latest = message
    if (this.shown) this.write(message)
  }

  done(): void {
    clearTimeout(this.timer)
    if (this.shown && this.io.stderrIsTTY) this.io.stderr('\r\x1b[K')
  }

  private write(message: string): void {
    this.io.stderr(this.io.stderrIsTTY ? `\r\x1b[K${message}` : `${message}\n`)
  }
}
