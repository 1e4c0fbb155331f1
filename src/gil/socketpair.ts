/*
 * A socketpair in shared memory: socket.socketpair() between two threads, for the
 * lab's I/O round trips (the convoy effect) and their echo peer.
 *
 * Two one-way channels, each a byte counter pair and a data word: send stores the
 * byte, then advances SENT and wakes the reader; recv sleeps (futex) while SENT
 * equals RECEIVED, then takes the byte and advances RECEIVED. A channel holds one
 * byte in flight, enough for request/response traffic; sending into a full one is
 * a RuntimeError rather than a silent overwrite. Bytes are 0..255; CLOSE (256) is
 * the end-of-stream marker a shutdown() sends.
 *
 * Layout (32-byte kernel region): channel 0 (end 0 -> end 1) words 0..2, channel 1
 * (end 1 -> end 0) words 4..6; in each: SENT, RECEIVED, DATA.
 *
 * Lifetime (shm/lifetime.ts): each SocketPair object holds one reference to the
 * region; close() (or `using`) drops it, the last one frees it. Its ends then
 * raise ValueError, as a closed socket's send and recv do.
 */
import { RuntimeError, ValueError } from '../errors.js';
import { openRegion, type RegionHandle } from '../shm/kernel.js';
import { Closable, regionReference } from '../shm/lifetime.js';
import { futexWait, futexWake, type Deadline } from '../atomics/futex.js';
import { registerHandleKind } from '../shm/handle-kinds.js';

export interface SocketPairHandle extends RegionHandle {
  readonly kind: 'socketpair';
}

export const CLOSE = 256;
const REGION_BYTES = 32;
const CHANNEL_WORDS = 4;
const SENT = 0;
const RECEIVED = 1;
const DATA = 2;

export class SocketPair extends Closable {
  readonly handle: SocketPairHandle;
  readonly words: Int32Array;
  readonly #base: number;

  /** A new pair, or, given a handle, the pair it names. */
  constructor(handle?: SocketPairHandle) {
    super();
    const region = openRegion('socketpair', REGION_BYTES, handle);
    this.handle = region.handle;
    this.words = region.kernel.words;
    this.#base = region.handle.offset >> 2;
    this.takeLifetime(regionReference(region.kernel, region.handle));
  }

  /** One end of the pair: end 0 writes channel 0 and reads channel 1, end 1 the other way round. */
  end(which: 0 | 1): SocketEnd {
    this.checkOpen();
    return new SocketEnd(this, this.#base + which * CHANNEL_WORDS, this.#base + (1 - which) * CHANNEL_WORDS);
  }

  /** A ValueError once closed (the ends call it before each operation). */
  checkOpen(): void {
    if (this.closed) throw new ValueError('operation on a closed socketpair');
  }
}

export class SocketEnd {
  constructor(
    readonly pair: SocketPair,
    readonly out: number,
    readonly incoming: number,
  ) {}

  send(byte: number): void {
    this.pair.checkOpen();
    const words = this.pair.words;
    if (Atomics.load(words, this.out + SENT) !== Atomics.load(words, this.out + RECEIVED)) {
      throw new RuntimeError('socket buffer full: this model holds one byte in flight');
    }
    Atomics.store(words, this.out + DATA, byte);
    Atomics.add(words, this.out + SENT, 1);
    futexWake(words, this.out + SENT, 1);
  }

  /** The next byte (CLOSE after shutdown), waiting for it until `deadline`; null if the deadline passed first. */
  recv(deadline: Deadline = Infinity): number | null {
    this.pair.checkOpen();
    const words = this.pair.words;
    const received = Atomics.load(words, this.incoming + RECEIVED);
    while (Atomics.load(words, this.incoming + SENT) === received) {
      if (futexWait(words, this.incoming + SENT, received, deadline) === 'timed-out') return null;
    }
    const byte = Atomics.load(words, this.incoming + DATA);
    Atomics.add(words, this.incoming + RECEIVED, 1);
    return byte;
  }

  shutdown(): void {
    this.send(CLOSE);
  }
}

/** The other end of a round trip: sends back every byte until CLOSE; returns how many it echoed. */
export function echoUntilClosed(end: SocketEnd): number {
  let echoed = 0;
  for (let byte = end.recv(); byte !== CLOSE && byte !== null; byte = end.recv()) {
    end.send(byte);
    echoed += 1;
  }
  return echoed;
}

declare module '../shm/handle-kinds.js' {
  interface HandleKinds {
    socketpair: { handle: SocketPairHandle; object: SocketPair };
  }
}
registerHandleKind('socketpair', (handle) => new SocketPair(handle));
