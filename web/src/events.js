// Live events from /api/v1/events (WebSocket on the page's own origin), with reconnects.
import { useEffect, useState } from 'preact/hooks';
import { kApiBase } from './api.js';

const kMaxBackoffMs = 15000;
// A handshake that hangs (a proxy holding it) is given up and retried.
const kConnectTimeoutMs = 10000;
const subscribers = new Set();
const statusListeners = new Set();
let socket = null;
let status = 'closed'; // 'connecting' | 'open' | 'closed'
let backoffMs = 1000;
let retryTimer = 0;
let wanted = false;

function setStatus(next) {
  status = next;
  statusListeners.forEach((listener) => listener(next));
}

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  setStatus('connecting');
  const current = new WebSocket(`${scheme}://${location.host}${kApiBase}/events`);
  socket = current;
  setTimeout(() => {
    if (current.readyState === WebSocket.CONNECTING) current.close();
  }, kConnectTimeoutMs);
  socket.onopen = () => {
    backoffMs = 1000;
    setStatus('open');
    // Whatever happened while we were away: let every view reload.
    subscribers.forEach((subscriber) => subscriber({ type: 'reconnected' }));
  };
  socket.onmessage = (message) => {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return;
    }
    subscribers.forEach((subscriber) => subscriber(event));
  };
  socket.onclose = () => {
    socket = null;
    setStatus('closed');
    if (!wanted) return;
    retryTimer = setTimeout(() => {
      retryTimer = 0;
      connect();
    }, backoffMs);
    backoffMs = Math.min(backoffMs * 2, kMaxBackoffMs);
  };
}

// Opens the stream after login; closes it at logout.
export function startEvents() {
  wanted = true;
  if (!socket && !retryTimer) connect();
}

export function stopEvents() {
  wanted = false;
  clearTimeout(retryTimer);
  retryTimer = 0;
  if (socket) socket.close();
}

// Calls `handler` with each event ({type: "registration" | "call" | "reconnected", ...}).
export function useEvents(handler) {
  useEffect(() => {
    subscribers.add(handler);
    return () => subscribers.delete(handler);
  }, [handler]);
}

export function useEventStatus() {
  const [current, setCurrent] = useState(status);
  useEffect(() => {
    statusListeners.add(setCurrent);
    return () => statusListeners.delete(setCurrent);
  }, []);
  return current;
}
