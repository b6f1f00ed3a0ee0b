// The Socket.IO 4 baseline for the load benchmark (docs/load.md): the same
// workload as the relay's — students join a room, each answer is acked and
// fanned out to the room's proctors — with no storage and no checks. Only
// what a plain Socket.IO server does, to compare memory and latency with.
//
//   node server.js PORT   (prints "listening PORT" when ready)
"use strict";
const http = require("http");
const { Server } = require("socket.io");

const port = Number(process.argv[2] || process.env.PORT || 9090);
const server = http.createServer();
const io = new Server(server, {
  transports: ["websocket"],
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
});

io.on("connection", (socket) => {
  socket.on("join", (msg, ack) => {
    socket.data.name = String(msg && msg.name);
    socket.data.room = String(msg && msg.room);
    socket.join("room:" + socket.data.room);
    if (typeof ack === "function") ack({ ok: true });
  });
  socket.on("answer", (msg, ack) => {
    if (typeof ack === "function") ack({ seq: msg && msg.seq });
    io.to("proctor:" + socket.data.room).emit("row", {
      name: socket.data.name,
      seq: msg && msg.seq,
      question: msg && msg.question,
      at: Date.now(),
    });
  });
  socket.on("watch", (msg, ack) => {
    for (const room of (msg && msg.rooms) || []) socket.join("proctor:" + room);
    if (typeof ack === "function") ack({ ok: true });
  });
});

// The same listen backlog as the relay's.
server.listen({ port, host: "127.0.0.1", backlog: 4096 }, () => {
  console.log("listening " + port);
});
