/**
 * What the pipeline does when Loki refuses everything for the incident's twelve minutes (HTTP 429), by Fluent Bit's
 * rules for buffering (administration/buffering-and-storage, src/flb_input_chunk.c) and retries (src/flb_output.c,
 * src/flb_scheduler.c):
 * - storage.type memory pauses the input at mem_buf_limit ("paused (mem buf overlimit)"): lines written meanwhile stay
 *   in files the kubelet rotates away; without mem_buf_limit nothing bounds the agent's memory; memrb drops the oldest;
 * - storage.type filesystem keeps reading into chunks on disk (needs service.storage.path), unless
 *   storage.pause_on_chunks_overlimit pauses it at storage.max_chunks_up chunks (about 2 MB each); an output's
 *   storage.total_limit_size drops its oldest chunks beyond that size;
 * - a chunk the output fails to send is retried retry_limit times (default 1; no_limits, false or off: forever;
 *   no_retries: never) and then dropped. Each wait is random between scheduler.base (default 5 s) and
 *   min(scheduler.cap, base × 2^n), so a chunk may be dropped as early as retry_limit × scheduler.base seconds after it
 *   first failed.
 */
import type { Config, Plugin } from './config';
import { sizeToBytes, truthy } from './config';

/** The incident, as the instructions give it. */
export const OUTAGE = {
  seconds: 12 * 60,
  /** Bytes the shop's containers on the busiest node wrote during the outage. */
  bytes: 63_000_000,
  /** The agent's Pod memory limit (256 MiB); a memory buffer above half of it gets the agent OOMKilled (measured). */
  podMemory: 256 * 1024 * 1024,
  chunkBytes: 2_000_000,
};

export interface Verdict {
  where: Plugin;
  key: string;
  ko: string;
  en: string;
}

const mb = (n: number) => `${Math.round(n / 1e5) / 10} MB`;

/** Why the pipeline would lose records in the outage (empty: none lost). */
export function losses(cfg: Config, input: Plugin, output: Plugin): Verdict[] {
  const out: Verdict[] = [];
  const type = (input.get('storage.type') ?? 'memory').toLowerCase();
  const limit = sizeToBytes(input.get('mem_buf_limit'));
  const half = OUTAGE.podMemory / 2;
  if (type === 'memory' || type === 'memrb') {
    if (!limit)
      out.push({
        where: input,
        key: 'mem_buf_limit',
        ko: `메모리 버퍼에 mem_buf_limit이 없어, Loki가 멈춘 동안 에이전트의 메모리가 끝없이 늘다가 Pod의 메모리 제한(256 MiB)에서 OOMKilled되고 버퍼의 레코드를 모두 잃습니다`,
        en: `a memory buffer without mem_buf_limit grows for as long as Loki is down, until the agent is OOMKilled at its Pod's 256 MiB limit and loses every record it held`,
      });
    else if (limit < OUTAGE.bytes)
      out.push({
        where: input,
        key: 'mem_buf_limit',
        ko:
          type === 'memrb'
            ? `memrb 버퍼는 mem_buf_limit(${mb(limit)})이 차면 가장 오래된 레코드를 버립니다. 장애 동안 쌓인 ${mb(OUTAGE.bytes)}를 담지 못합니다`
            : `메모리 버퍼는 mem_buf_limit(${mb(limit)})에서 입력을 멈춥니다("tail.0 paused (mem buf overlimit)"). 장애 동안 쓰인 ${mb(OUTAGE.bytes)} 가운데 읽지 못한 부분은 kubelet이 로그 파일을 회전시키며 사라집니다`,
        en:
          type === 'memrb'
            ? `a memrb buffer drops its oldest records once mem_buf_limit (${mb(limit)}) is full: it cannot hold the ${mb(OUTAGE.bytes)} the outage piled up`
            : `a memory buffer pauses the input at mem_buf_limit (${mb(limit)}) ("tail.0 paused (mem buf overlimit)"); of the ${mb(OUTAGE.bytes)} written during the outage, what was not read is gone when the kubelet rotates the log files`,
      });
    else if (limit > half)
      out.push({
        where: input,
        key: 'mem_buf_limit',
        ko: `mem_buf_limit ${mb(limit)}은 에이전트 Pod 메모리 제한(256 MiB)의 절반을 넘어, 장애 때 채워지면 에이전트가 OOMKilled됩니다`,
        en: `a mem_buf_limit of ${mb(limit)} is more than half the agent Pod's 256 MiB memory limit: filled during an outage, it gets the agent OOMKilled`,
      });
  } else if (type === 'filesystem') {
    const maxUp = Number(cfg.service.get('storage.max_chunks_up')?.value ?? 128);
    if (truthy(input.get('storage.pause_on_chunks_overlimit'), false) && maxUp * OUTAGE.chunkBytes < OUTAGE.bytes)
      out.push({
        where: input,
        key: 'storage.pause_on_chunks_overlimit',
        ko: `storage.pause_on_chunks_overlimit이 켜져 있어 청크 ${maxUp}개(약 ${mb(maxUp * OUTAGE.chunkBytes)})에서 입력이 멈추고, 그동안 쓰인 줄은 회전된 파일과 함께 사라집니다`,
        en: `storage.pause_on_chunks_overlimit pauses the input at ${maxUp} chunks (about ${mb(maxUp * OUTAGE.chunkBytes)}), and lines written meanwhile go with the rotated files`,
      });
    const total = sizeToBytes(output.get('storage.total_limit_size'));
    if (total !== null && total < OUTAGE.bytes)
      out.push({
        where: output,
        key: 'storage.total_limit_size',
        ko: `storage.total_limit_size ${mb(total)}가 장애 동안 쌓인 ${mb(OUTAGE.bytes)}보다 작아서, 넘치는 만큼 가장 오래된 청크를 버립니다`,
        en: `storage.total_limit_size ${mb(total)} is less than the ${mb(OUTAGE.bytes)} the outage piled up, so the oldest chunks are dropped to make room`,
      });
  }
  // Retries.
  const raw = (output.get('retry_limit') ?? '1').trim().toLowerCase();
  const base = Math.max(1, Number(cfg.service.get('scheduler.base')?.value ?? 5) || 5);
  if (raw === 'no_retries')
    out.push({
      where: output,
      key: 'retry_limit',
      ko: 'retry_limit: no_retries는 처음 실패한 청크를 바로 버립니다',
      en: 'retry_limit: no_retries drops a chunk the first time it fails',
    });
  else if (!['no_limits', 'false', 'off'].includes(raw)) {
    const n = /^\d+$/.test(raw) && Number(raw) > 0 ? Number(raw) : 1;
    if (n * base < OUTAGE.seconds)
      out.push({
        where: output,
        key: 'retry_limit',
        ko: `retry_limit ${n}${output.get('retry_limit') === undefined ? '(기본값)' : ''}이면 청크는 재시도 ${n}번 뒤 버려지고("chunk ... cannot be retried"), 재시도 간격은 scheduler.base(${base}초)부터라서 처음 실패하고 ${n * base}초 만에 버려질 수 있습니다. 장애는 ${OUTAGE.seconds / 60}분 이어졌습니다`,
        en: `with retry_limit ${n}${output.get('retry_limit') === undefined ? ' (the default)' : ''} a chunk is dropped after ${n} ${n === 1 ? 'retry' : 'retries'} ("chunk ... cannot be retried"), and retries may come as soon as scheduler.base (${base} s) apart, so a chunk can be dropped ${n * base} s after it first failed; the outage lasted ${OUTAGE.seconds / 60} minutes`,
      });
  }
  return out;
}
