import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import { IdReaderSimulator } from './id-card/simulator/id-reader-simulator.js';
import { PrinterSimulator } from './printer/simulator/printer-simulator.js';
import { ScannerSimulator } from './scanner/simulator/scanner-simulator.js';
import { SIM_COMMAND_HELP, SimDevice, type SimCommand } from './simulator-control.js';
import { startPtyPair, type PtyPair } from './testing/pty-pair.js';

/** How the kiosk reaches the simulated reader and scanner. */
export enum SimTransport {
  /** A socat pseudo-terminal pair each: the drivers open a serial port, as on a kiosk PC. */
  Pty = 'pty',
  /**
   * A raw-TCP serial device server each on 127.0.0.1 (as halls use for readers far from the
   * kiosk PC): the drivers open `tcp://127.0.0.1:port`. Needs nothing installed.
   */
  Tcp = 'tcp',
}

/** Whether `socat` (for PTY pairs) is on the PATH. */
export function hasSocat(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.PATH ?? '').split(path.delimiter).some((dir) => {
    if (dir === '') return false;
    try {
      accessSync(path.join(dir, 'socat'), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** PTYs where socat exists, TCP otherwise. */
export function defaultSimTransport(env: NodeJS.ProcessEnv = process.env): SimTransport {
  return hasSocat(env) ? SimTransport.Pty : SimTransport.Tcp;
}

/** One line for whoever runs the simulators without socat. */
export const SOCAT_HINT = 'socat not found: the ID card reader and the QR scanner are served over TCP (tcp://127.0.0.1:port, as a serial device server); for serial pseudo-terminals install socat (Debian: apt-get install socat)';

export interface DeviceSimulatorsOptions {
  /** Where the PTY links live: <dir>/id-reader, <dir>/scanner, <dir>/printer (kiosk ends). */
  dir: string;
  /** Default SimTransport.Pty. */
  transport?: SimTransport;
  /** TCP transport: the reader's and the scanner's ports on 127.0.0.1; default 0 (any free one). */
  idReaderTcpPort?: number;
  scannerTcpPort?: number;
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
  /** A PTY link, or `tcp://127.0.0.1:port` with the TCP transport. */
  idReader: string;
  scanner: string;
  printerSerial: string | null;
  printerTcpPort: number | null;
}

interface Plugged {
  pty: PtyPair | null;
  kiosk: string;
  device: string;
  /** TCP transport: the port served, kept for a replug; null until served. */
  tcpPort: number | null;
}

/**
 * All three simulated devices for the demo and end-to-end tests: the reader and the scanner each
 * on its own PTY pair or TCP device server, the network printer on loopback TCP (and optionally a
 * serial one on a PTY), driven by SimCommand (see simulator-control.ts).
 */
export class DeviceSimulators {
  private constructor(
    private readonly opts: DeviceSimulatorsOptions,
    readonly transport: SimTransport,
    private readonly links: Record<SimDevice, Plugged>,
    readonly reader: IdReaderSimulator,
    readonly scanner: ScannerSimulator,
    readonly tcpPrinter: PrinterSimulator | null,
    private serialPrinterSim: PrinterSimulator | null,
  ) {}

  static async start(opts: DeviceSimulatorsOptions): Promise<DeviceSimulators> {
    const transport = opts.transport ?? SimTransport.Pty;
    if (transport === SimTransport.Tcp && opts.serialPrinter) throw new Error('a serial printer simulator needs the PTY transport (socat)');
    mkdirSync(opts.dir, { recursive: true });
    const link = (name: string): Plugged => ({ pty: null, kiosk: path.join(opts.dir, name), device: path.join(opts.dir, `${name}.device`), tcpPort: null });
    const links: Record<SimDevice, Plugged> = { [SimDevice.Reader]: link('id-reader'), [SimDevice.Scanner]: link('scanner'), [SimDevice.Printer]: link('printer') };
    const started: Array<() => Promise<void>> = [];
    try {
      const plug = async (l: Plugged): Promise<void> => {
        l.pty = await startPtyPair({ a: l.kiosk, b: l.device });
        started.push(() => l.pty?.stop() ?? Promise.resolve());
      };
      const idReaderBaud = opts.idReaderBaud ?? 115200;
      const scannerBaud = opts.scannerBaud ?? 9600;
      let reader: IdReaderSimulator;
      let scanner: ScannerSimulator;
      if (transport === SimTransport.Pty) {
        await plug(links[SimDevice.Reader]);
        await plug(links[SimDevice.Scanner]);
        reader = await IdReaderSimulator.open({ path: links[SimDevice.Reader].device, baudRate: idReaderBaud });
        started.push(() => reader.close());
        scanner = await ScannerSimulator.open({ path: links[SimDevice.Scanner].device, baudRate: scannerBaud });
        started.push(() => scanner.close());
      } else {
        reader = await IdReaderSimulator.serve({ port: opts.idReaderTcpPort ?? 0, baudRate: idReaderBaud });
        started.push(() => reader.close());
        scanner = await ScannerSimulator.serve({ port: opts.scannerTcpPort ?? 0, baudRate: scannerBaud });
        started.push(() => scanner.close());
        links[SimDevice.Reader].tcpPort = tcpPortOf(reader.tcpPath);
        links[SimDevice.Scanner].tcpPort = tcpPortOf(scanner.tcpPath);
      }
      const tcpPort = opts.printerTcpPort === undefined ? 9100 : opts.printerTcpPort;
      const tcpPrinter = tcpPort === null ? null : await PrinterSimulator.start({ port: tcpPort, jobsDir: opts.jobsDir });
      if (tcpPrinter) started.push(() => tcpPrinter.stop());
      let serialPrinter: PrinterSimulator | null = null;
      if (opts.serialPrinter) {
        await plug(links[SimDevice.Printer]);
        serialPrinter = await PrinterSimulator.startSerial({ path: links[SimDevice.Printer].device, baudRate: opts.printerBaud ?? 9600, jobsDir: opts.jobsDir });
      }
      return new DeviceSimulators(opts, transport, links, reader, scanner, tcpPrinter, serialPrinter);
    } catch (err) {
      for (const stop of started.reverse()) await stop().catch(() => undefined);
      throw err;
    }
  }

  get serialPrinter(): PrinterSimulator | null {
    return this.serialPrinterSim;
  }

  paths(): DeviceSimulatorPaths {
    const kioskEnd = (device: SimDevice): string => {
      const l = this.links[device];
      return this.transport === SimTransport.Tcp ? `tcp://127.0.0.1:${l.tcpPort ?? 0}` : l.kiosk;
    };
    return {
      idReader: kioskEnd(SimDevice.Reader),
      scanner: kioskEnd(SimDevice.Scanner),
      printerSerial: this.opts.serialPrinter ? this.links[SimDevice.Printer].kiosk : null,
      printerTcpPort: this.tcpPrinter?.port ?? null,
    };
  }

  status(): Record<string, unknown> {
    const tcp = this.transport === SimTransport.Tcp;
    return {
      transport: this.transport,
      paths: this.paths(),
      reader: { plugged: tcp ? this.reader.tcpPath !== null : this.links[SimDevice.Reader].pty !== null, connected: this.reader.attached, cardPresent: this.reader.cardPresent, ...this.reader.stats },
      scanner: { plugged: tcp ? this.scanner.tcpPath !== null : this.links[SimDevice.Scanner].pty !== null, connected: this.scanner.attached, suffix: this.scanner.suffix },
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
    if (this.transport === SimTransport.Tcp) {
      // The device server goes away: the driver's socket closes and reconnects are refused.
      if (device === SimDevice.Reader) await this.reader.detach();
      if (device === SimDevice.Scanner) await this.scanner.detach();
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
    if (device === SimDevice.Printer && !this.opts.serialPrinter) return;
    if (this.transport === SimTransport.Tcp) {
      // Back on the same port, so the driver's path still leads to it.
      if (device === SimDevice.Reader && this.reader.tcpPath === null) await this.reader.serve(l.tcpPort ?? 0);
      if (device === SimDevice.Scanner && this.scanner.tcpPath === null) await this.scanner.serve(l.tcpPort ?? 0);
      return;
    }
    if (l.pty) return;
    l.pty = await startPtyPair({ a: l.kiosk, b: l.device });
    if (device === SimDevice.Reader) await this.reader.attach(l.device);
    if (device === SimDevice.Scanner) await this.scanner.attach(l.device);
    if (device === SimDevice.Printer) {
      this.serialPrinterSim = await PrinterSimulator.startSerial({ path: l.device, baudRate: this.opts.printerBaud ?? 9600, jobsDir: this.opts.jobsDir });
    }
  }
}

function tcpPortOf(tcpPath: string | null): number {
  const port = tcpPath === null ? NaN : Number(new URL(tcpPath).port);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`simulator is not serving over TCP (${tcpPath ?? 'no path'})`);
  return port;
}
