import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { IdReaderSimulator } from './id-card/simulator/id-reader-simulator.js';
import { PrinterSimulator } from './printer/simulator/printer-simulator.js';
import { ScannerSimulator } from './scanner/simulator/scanner-simulator.js';
import { SIM_COMMAND_HELP, SimDevice, type SimCommand } from './simulator-control.js';
import { startPtyPair, type PtyPair } from './testing/pty-pair.js';

export interface DeviceSimulatorsOptions {
  /** Where the PTY links live: <dir>/id-reader, <dir>/scanner, <dir>/printer (kiosk ends). */
  dir: string;
  /** Default 115200. */
  idReaderBaud?: number;
  /** Default 9600. */
  scannerBaud?: number;
  /** Network printer on 127.0.0.1: port (0 = any free one), or null for none. Default 9100. */
  printerTcpPort?: number | null;
  /** Also a serial printer on <dir>/printer. Default false. */
  serialPrinter?: boolean;
  /** Default 9600. */
  printerBaud?: number;
  jobsDir?: string;
}

/** Where the kiosk finds each simulated device. */
export interface DeviceSimulatorPaths {
  idReader: string;
  scanner: string;
  printerSerial: string | null;
  printerTcpPort: number | null;
}

interface Plugged {
  pty: PtyPair | null;
  kiosk: string;
  device: string;
}

/**
 * All three simulated devices for the demo and end-to-end tests, each on its own PTY pair (the
 * network printer on loopback TCP), driven by SimCommand (see simulator-control.ts).
 */
export class DeviceSimulators {
  private constructor(
    private readonly opts: DeviceSimulatorsOptions,
    private readonly links: Record<SimDevice, Plugged>,
    readonly reader: IdReaderSimulator,
    readonly scanner: ScannerSimulator,
    readonly tcpPrinter: PrinterSimulator | null,
    private serialPrinterSim: PrinterSimulator | null,
  ) {}

  static async start(opts: DeviceSimulatorsOptions): Promise<DeviceSimulators> {
    mkdirSync(opts.dir, { recursive: true });
    const link = (name: string): Plugged => ({ pty: null, kiosk: path.join(opts.dir, name), device: path.join(opts.dir, `${name}.device`) });
    const links: Record<SimDevice, Plugged> = { [SimDevice.Reader]: link('id-reader'), [SimDevice.Scanner]: link('scanner'), [SimDevice.Printer]: link('printer') };
    const started: Array<() => Promise<void>> = [];
    try {
      const plug = async (l: Plugged): Promise<void> => {
        l.pty = await startPtyPair({ a: l.kiosk, b: l.device });
        started.push(() => l.pty?.stop() ?? Promise.resolve());
      };
      await plug(links[SimDevice.Reader]);
      await plug(links[SimDevice.Scanner]);
      const reader = await IdReaderSimulator.open({ path: links[SimDevice.Reader].device, baudRate: opts.idReaderBaud ?? 115200 });
      started.push(() => reader.close());
      const scanner = await ScannerSimulator.open({ path: links[SimDevice.Scanner].device, baudRate: opts.scannerBaud ?? 9600 });
      started.push(() => scanner.close());
      const tcpPort = opts.printerTcpPort === undefined ? 9100 : opts.printerTcpPort;
      const tcpPrinter = tcpPort === null ? null : await PrinterSimulator.start({ port: tcpPort, jobsDir: opts.jobsDir });
      if (tcpPrinter) started.push(() => tcpPrinter.stop());
      let serialPrinter: PrinterSimulator | null = null;
      if (opts.serialPrinter) {
        await plug(links[SimDevice.Printer]);
        serialPrinter = await PrinterSimulator.startSerial({ path: links[SimDevice.Printer].device, baudRate: opts.printerBaud ?? 9600, jobsDir: opts.jobsDir });
      }
      return new DeviceSimulators(opts, links, reader, scanner, tcpPrinter, serialPrinter);
    } catch (err) {
      for (const stop of started.reverse()) await stop().catch(() => undefined);
      throw err;
    }
  }

  get serialPrinter(): PrinterSimulator | null {
    return this.serialPrinterSim;
  }

  paths(): DeviceSimulatorPaths {
    return {
      idReader: this.links[SimDevice.Reader].kiosk,
      scanner: this.links[SimDevice.Scanner].kiosk,
      printerSerial: this.opts.serialPrinter ? this.links[SimDevice.Printer].kiosk : null,
      printerTcpPort: this.tcpPrinter?.port ?? null,
    };
  }

  status(): Record<string, unknown> {
    return {
      paths: this.paths(),
      reader: { plugged: this.links[SimDevice.Reader].pty !== null, cardPresent: this.reader.cardPresent, ...this.reader.stats },
      scanner: { plugged: this.links[SimDevice.Scanner].pty !== null, suffix: this.scanner.suffix },
      printer: {
        faults: (this.tcpPrinter ?? this.serialPrinterSim)?.faultsNow() ?? null,
        tcpJobs: this.tcpPrinter?.jobs().length ?? null,
        serialJobs: this.serialPrinterSim?.jobs().length ?? null,
      },
    };
  }

  /** Carries out one command; returns what to report (JSON-able). */
  async apply(cmd: SimCommand): Promise<unknown> {
    switch (cmd.kind) {
      case 'place-card':
        this.reader.placeCard(cmd.card, cmd.pullAwayAfterBytes === null ? {} : { pullAwayAfterBytes: cmd.pullAwayAfterBytes });
        return { card: cmd.card };
      case 'remove-card':
        this.reader.removeCard();
        return {};
      case 'reader-fault':
        this.reader.setFault(cmd.fault);
        return { fault: cmd.fault };
      case 'reader-corrupt':
        this.reader.corruptNext(cmd.replies);
        return { replies: cmd.replies };
      case 'scan':
        await this.scanner.scan(cmd.code);
        return { code: cmd.code };
      case 'scanner-suffix':
        this.scanner.suffix = cmd.suffix;
        return { suffix: cmd.suffix };
      case 'printer-fault':
        for (const p of [this.tcpPrinter, this.serialPrinterSim]) p?.setFaults({ [cmd.fault]: cmd.on });
        return { fault: cmd.fault, on: cmd.on };
      case 'unplug':
        await this.unplug(cmd.device);
        return { device: cmd.device };
      case 'plug':
        await this.plug(cmd.device);
        return { device: cmd.device };
      case 'status':
        return this.status();
      case 'help':
        return { help: SIM_COMMAND_HELP };
    }
  }

  async stop(): Promise<void> {
    await this.reader.close();
    await this.scanner.close();
    await this.tcpPrinter?.stop();
    await this.serialPrinterSim?.stop();
    for (const l of Object.values(this.links)) {
      await l.pty?.stop();
      l.pty = null;
    }
  }

  private async unplug(device: SimDevice): Promise<void> {
    const l = this.links[device];
    if (device === SimDevice.Printer && !this.opts.serialPrinter) {
      this.tcpPrinter?.disconnectAll();
      return;
    }
    if (device === SimDevice.Printer) {
      await this.serialPrinterSim?.stop();
      this.serialPrinterSim = null;
    }
    await l.pty?.stop();
    l.pty = null;
  }

  private async plug(device: SimDevice): Promise<void> {
    const l = this.links[device];
    if (l.pty || (device === SimDevice.Printer && !this.opts.serialPrinter)) return;
    l.pty = await startPtyPair({ a: l.kiosk, b: l.device });
    if (device === SimDevice.Reader) await this.reader.attach(l.device);
    if (device === SimDevice.Scanner) await this.scanner.attach(l.device);
    if (device === SimDevice.Printer) {
      this.serialPrinterSim = await PrinterSimulator.startSerial({ path: l.device, baudRate: this.opts.printerBaud ?? 9600, jobsDir: this.opts.jobsDir });
    }
  }
}
