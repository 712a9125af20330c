/** The PC/SC reader service (main-process / plain-Node code only). See reader-service.ts. */
export { PcscReaderService, CardStatusError, requireSw } from './reader-service';
export type { ReaderChannel, ConnectOptions, Disposition, ReaderServiceEvents, ReaderServiceOptions, TransmitOptions } from './reader-service';
export { PcscError, isPcscError } from './errors';
export type { PcscErrorCode } from './errors';
export { DEFAULT_READER_NAME, parseSelector, selectReader } from './reader-state';
export type { CardPresence, Protocol, ReaderInfo, ReaderSelector, ReaderState, ReaderStateTag, ShareMode } from './reader-state';
