import { AnswerTooLarge } from './failure.js';

/** Response headers as undici hands them over: lower-case names, repeated ones as arrays. */
export type RawHeaders = Record<string, string | string[] | undefined>;

/**
 * A response already read in full. It has the whole `Response` surface (ky accepts it by its
 * `Symbol.toStringTag`), but no stream and no `Headers` unless asked for: `clone()` shares the bytes
 * instead of teeing a stream, and `text()` decodes them in one go.
 */
export class BufferedResponse implements Response {
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly type: ResponseType = 'basic';
  readonly redirected = false;
  #bytes: Buffer | null;
  #raw: RawHeaders;
  #headers: Headers | undefined;
  #stream: ReadableStream<Uint8Array<ArrayBuffer>> | undefined;
  #used = false;

  constructor(bytes: Buffer | null, status: number, statusText: string, headers: RawHeaders | Headers, url: string) {
    this.#bytes = bytes;
    this.status = status;
    this.statusText = statusText;
    if (headers instanceof Headers) {
      this.#raw = {};
      this.#headers = headers;
    } else {
      this.#raw = headers;
    }
    this.url = url;
  }

  /**
   * Any `Response` (an injected fetch's) read in full, up to `limit` bytes: past it, reading stops and
   * {@link AnswerTooLarge} is thrown. A `BufferedResponse` is only measured.
   */
  static async read(response: Response, limit: number): Promise<BufferedResponse> {
    if (response instanceof BufferedResponse) {
      if ((response.#bytes?.length ?? 0) > limit) throw new AnswerTooLarge(limit);
      return response;
    }
    if (Number(response.headers.get('content-length')) > limit) {
      await response.body?.cancel().catch(() => undefined);
      throw new AnswerTooLarge(limit);
    }
    let bytes: Buffer | null = null;
    if (response.body) {
      const reader = response.body.getReader();
      const chunks: Uint8Array[] = [];
      let size = 0;
      for (let part = await reader.read(); !part.done; part = await reader.read()) {
        size += part.value.byteLength;
        if (size > limit) {
          await reader.cancel().catch(() => undefined);
          throw new AnswerTooLarge(limit);
        }
        chunks.push(part.value);
      }
      bytes = Buffer.concat(chunks);
    }
    return new BufferedResponse(bytes, response.status, response.statusText, response.headers, response.url);
  }

  get [Symbol.toStringTag](): string {
    return 'Response';
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  get headers(): Headers {
    if (!this.#headers) {
      const headers = new Headers();
      for (const name in this.#raw) {
        const value = this.#raw[name];
        if (Array.isArray(value)) for (const item of value) headers.append(name, item);
        else if (value !== undefined) headers.append(name, value);
      }
      this.#headers = headers;
    }
    return this.#headers;
  }

  get bodyUsed(): boolean {
    return this.#used;
  }

  /** A stream over the bytes, made on first access (nothing on the hot path asks for it). */
  get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    const bytes = this.#bytes;
    if (bytes === null) return null;
    // highWaterMark 0: a stream pulls as soon as it is made otherwise, and looking at `body` (as ky does
    // after its afterResponse hooks) would mark the body read before anyone reads it.
    this.#stream ??= new ReadableStream<Uint8Array<ArrayBuffer>>({
      pull: (controller) => {
        this.#used = true;
        if (bytes.length > 0) controller.enqueue(new Uint8Array(bytes));
        controller.close();
      },
      cancel: () => { this.#used = true; },
    }, { highWaterMark: 0 });
    return this.#stream;
  }

  clone(): Response {
    if (this.#used) throw new TypeError('Response.clone: Body has already been consumed.');
    const copy = new BufferedResponse(this.#bytes, this.status, this.statusText, this.#raw, this.url);
    copy.#headers = this.#headers && new Headers(this.#headers);
    return copy;
  }

  #take(): Buffer {
    if (this.#used || this.#stream?.locked) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#bytes ?? Buffer.alloc(0);
  }

  async text(): Promise<string> {
    const text = this.#take().toString('utf8');
    // As a WHATWG Response decodes: UTF-8, a leading byte order mark dropped.
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  async json(): Promise<any> {
    return JSON.parse(await this.text());
  }

  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(this.#take());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return (await this.bytes()).buffer;
  }

  async blob(): Promise<Blob> {
    return new Blob([await this.bytes()], { type: this.headers.get('content-type') ?? '' });
  }

  async formData(): Promise<FormData> {
    return new Response(await this.bytes(), { headers: this.headers }).formData();
  }
}
