/**
 * A printed form's QR code read from a camera (getUserMedia): frames drawn to a canvas a few times a second and
 * decoded with ZXing's reader (zxing-wasm), on a worker of their own (qr-worker.ts), until a code is
 * read; then the camera is turned off and the code's text handed on. Nothing is recorded: each frame is dropped once
 * looked at.
 */
import { CameraOutlined } from '@ant-design/icons';
import { Alert, Button, Space } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FrameRead, FrameToRead } from './qr-worker';

/** Looks a second apart would keep a person waiting; every frame would keep the processor busy. */
const LOOK_EVERY_MS = 250;
/** Frames are looked at no wider than this: a held-up code fills much of the picture. */
const MAX_WIDTH = 960;

function cameraError(e: unknown): { key: string; reason?: string } {
  const name = e instanceof DOMException ? e.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return { key: 'paper.camera.denied' };
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || !navigator.mediaDevices?.getUserMedia) return { key: 'paper.camera.none' };
  return { key: 'paper.camera.failed', reason: e instanceof Error ? e.message : String(e) };
}

/** `onStart`: a new check begins (the last verdict is cleared); `onCode`: the code read. */
export function CameraReader({ disabled, onStart, onCode }: { disabled: boolean; onStart: () => void; onCode: (qr: string) => void }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const [on, setOn] = useState(false);
  const [error, setError] = useState<{ key: string; reason?: string } | null>(null);
  // The latest handler, without restarting the camera's loop when the screen renders again.
  const handler = useRef(onCode);
  handler.current = onCode;

  const stop = () => {
    stream.current?.getTracks().forEach((track) => track.stop());
    stream.current = null;
    setOn(false);
  };
  useEffect(() => stop, []);

  useEffect(() => {
    if (!on) return;
    const canvas = document.createElement('canvas');
    const reader = new Worker(new URL('./qr-worker.ts', import.meta.url));
    let timer = 0;
    // One frame at a time on the worker: the next is taken when its answer is in.
    const look = () => {
      const v = video.current;
      if (!v || v.videoWidth === 0) {
        timer = window.setTimeout(look, LOOK_EVERY_MS);
        return;
      }
      const scale = Math.min(1, MAX_WIDTH / v.videoWidth);
      canvas.width = Math.round(v.videoWidth * scale);
      canvas.height = Math.round(v.videoHeight * scale);
      const g = canvas.getContext('2d', { willReadFrequently: true })!;
      g.drawImage(v, 0, 0, canvas.width, canvas.height);
      const rgba = g.getImageData(0, 0, canvas.width, canvas.height).data;
      reader.postMessage({ rgba, width: canvas.width, height: canvas.height } satisfies FrameToRead, [rgba.buffer]);
    };
    reader.onmessage = (e: MessageEvent<FrameRead>) => {
      if ('failed' in e.data) {
        stop();
        setError({ key: 'paper.camera.failed', reason: e.data.failed });
        return;
      }
      if (e.data.text) {
        stop();
        handler.current(e.data.text);
        return;
      }
      timer = window.setTimeout(look, LOOK_EVERY_MS);
    };
    // A decoder that cannot start is said, not waited on.
    reader.onerror = (e) => {
      stop();
      setError({ key: 'paper.camera.failed', reason: e.message || 'QR decoder' });
    };
    timer = window.setTimeout(look, LOOK_EVERY_MS);
    return () => {
      window.clearTimeout(timer);
      reader.terminate();
    };
  }, [on]);

  const start = async () => {
    setError(null);
    onStart();
    try {
      // The camera at the back of a tablet or phone, where there is one; any camera otherwise.
      const s = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      stream.current = s;
      setOn(true);
      if (video.current) {
        video.current.srcObject = s;
        await video.current.play().catch(() => undefined);
      }
    } catch (e) {
      setError(cameraError(e));
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Button icon={<CameraOutlined />} disabled={disabled || on} onClick={() => void start()} data-testid="verify-camera">
          {t('paper.camera')}
        </Button>
        {on && (
          <Button onClick={stop} data-testid="verify-camera-stop">
            {t('paper.camera.stop')}
          </Button>
        )}
      </Space>
      <div style={{ display: on ? 'block' : 'none' }}>
        <div data-testid="verify-camera-hold">{t('paper.camera.hold')}</div>
        <video ref={video} muted playsInline aria-label={t('paper.camera')} style={{ maxWidth: 480, width: '100%', border: '1px solid #d9d9d9' }} />
      </div>
      {error && <Alert data-testid="verify-camera-error" type="warning" showIcon message={t(error.key, { reason: error.reason ?? '' })} />}
    </Space>
  );
}
