// RUN: %check_corotidy %s async-blocking-call %t

#include "qt-mock.hpp"

// QCoro coroutines call Qt: its synchronous waits and nested event loops
// stall the GUI thread (and every coroutine on it) like any blocking call.

QCoro::Task<int> waits(QProcess &proc, QTcpSocket &sock, QLocalSocket &local, QThread &worker) {
  proc.start("ls");
  proc.waitForStarted();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'QProcess::waitForStarted' blocks the thread (process creation or waiting for a child) inside coroutine 'waits'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: alternative: co_await qCoro(process).waitForStarted() (QCoro)
  proc.waitForFinished(1000);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'QProcess::waitForFinished' blocks the thread {{.*}}
  sock.waitForConnected();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'QAbstractSocket::waitForConnected' blocks the thread (blocking socket I/O) inside coroutine 'waits'; {{.*}}
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: alternative: co_await qCoro(socket).waitForConnected() (QCoro)
  sock.waitForReadyRead();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'QAbstractSocket::waitForReadyRead' blocks the thread {{.*}}
  local.waitForConnected();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'QLocalSocket::waitForConnected' blocks the thread {{.*}}
  local.waitForReadyRead();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'QIODevice::waitForReadyRead' blocks the thread {{.*}}
  worker.wait();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'QThread::wait' blocks the thread (a synchronous wait for another thread or task) inside coroutine 'waits'; {{.*}}
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: alternative: co_await qCoro(thread).waitForFinished() (QCoro)
  co_return 0;
}

QCoro::Task<int> nested_loops(QDialog &dialog, QMessageBox &box) {
  QEventLoop loop;
  loop.exec();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'QEventLoop::exec' blocks the thread (a nested event loop) inside coroutine 'nested_loops'; {{.*}}
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: alternative: await the signal that ends it (QCoro: co_await qCoro(obj, &Obj::signal)) instead of spinning a loop inside the coroutine
  int r = dialog.exec();
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'QDialog::exec' blocks the thread (a nested event loop) inside coroutine 'nested_loops'; {{.*}}
  // CHECK-MESSAGES: :[[@LINE-2]]:11: note: alternative: dialog->open(), then co_await qCoro(dialog, &QDialog::finished)
  box.exec();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'QDialog::exec' blocks the thread (a nested event loop) {{.*}}
  QMessageBox::information(nullptr, "Saved", "Done");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'QMessageBox::information' blocks the thread (a nested event loop) {{.*}}
  if (QMessageBox::question(nullptr, "Quit?", "Really?") == QMessageBox::Ok)
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'QMessageBox::question' blocks the thread (a nested event loop) {{.*}}
    r = 1;
  co_return r;
}

QCoro::Task<int> dbus_and_files() {
  QDBusInterface iface("org.example", "/x");
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: the constructor of 'QDBusInterface' blocks the thread (a synchronous RPC) inside coroutine 'dbus_and_files'; {{.*}}
  iface.call("Ping");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'QDBusAbstractInterface::call' blocks the thread (a synchronous RPC) {{.*}}
  iface.call(QDBus::Block, "Ping");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'QDBusAbstractInterface::call' blocks the thread (a synchronous RPC) {{.*}}
  QFile f("/etc/hosts");
  f.open(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'QFile::open' blocks the thread (file I/O) {{.*}}
  QByteArray all = f.readAll();
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'QFile::readAll' blocks the thread (file I/O) {{.*}}
  f.readLine();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'QFile::readLine' blocks the thread (file I/O) {{.*}}
  (void)all;
  co_return 0;
}

// ---------------------------------------------------------------------------
// Negatives: the non-blocking forms.

QCoro::Task<int> non_blocking(QDBusAbstractInterface &iface, QDialog &dialog, QTcpSocket &sock,
                              QEventLoop &loop) {
  iface.call(QDBus::NoBlock, "Ping");     // returns at once
  iface.asyncCall("Ping");
  dialog.open();                          // window-modal, no nested loop
  QByteArray data = sock.readAll();       // a socket's buffer: no wait
  loop.quit();
  QMessageBox box;                        // constructing one shows nothing
  box.setText("x");
  (void)data;
  co_return 0;
}

// Outside coroutines: not this check's business.
int dialog_main(QDialog &d) { return d.exec(); }
