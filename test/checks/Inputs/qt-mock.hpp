// Declarations (only) of the Qt APIs async-blocking-call knows, with their
// real shapes, plus a minimal QCoro::Task: enough to test the rules without Qt.
#pragma once

#include <coroutine>
#include <exception>
#include <utility>

class QString {
public:
  QString(const char *) {}
};
class QByteArray {};
class QVariant {};

class QObject {
public:
  virtual ~QObject() = default;
};

class QIODevice : public QObject {
public:
  virtual bool waitForReadyRead(int msecs = 30000);
  virtual bool waitForBytesWritten(int msecs = 30000);
  QByteArray readAll();
  QByteArray read(long long maxSize);
  QByteArray readLine(long long maxSize = 0);
};

class QFile : public QIODevice {
public:
  explicit QFile(const QString &name);
  bool open(int flags);
};

class QAbstractSocket : public QIODevice {
public:
  bool waitForConnected(int msecs = 30000);
  bool waitForReadyRead(int msecs = 30000) override;
  bool waitForDisconnected(int msecs = 30000);
};
class QTcpSocket : public QAbstractSocket {};

class QLocalSocket : public QIODevice {
public:
  bool waitForConnected(int msecs = 30000);
  bool waitForDisconnected(int msecs = 30000);
};

class QProcess : public QIODevice {
public:
  void start(const QString &program);
  bool waitForStarted(int msecs = 30000);
  bool waitForFinished(int msecs = 30000);
};

class QThread : public QObject {
public:
  bool wait(unsigned long time = ~0UL);
};

class QEventLoop : public QObject {
public:
  int exec(int flags = 0);
  void quit();
};

class QWidget : public QObject {};
class QDialog : public QWidget {
public:
  virtual int exec();
  virtual void open();
};
class QMessageBox : public QDialog {
public:
  enum StandardButton { Ok = 0x400, Cancel = 0x400000 };
  static StandardButton information(QWidget *parent, const QString &title, const QString &text);
  static StandardButton question(QWidget *parent, const QString &title, const QString &text);
  static void about(QWidget *parent, const QString &title, const QString &text);
  void setText(const QString &text);
};

namespace QDBus {
enum CallMode { NoBlock, Block, BlockWithGui, AutoDetect };
}
class QDBusMessage {};
class QDBusPendingCall {};
class QDBusAbstractInterface : public QObject {
public:
  QDBusMessage call(const QString &method);
  QDBusMessage call(QDBus::CallMode mode, const QString &method);
  QDBusPendingCall asyncCall(const QString &method);
};
class QDBusInterface : public QDBusAbstractInterface {
public:
  QDBusInterface(const QString &service, const QString &path, const QString &interface = "");
};

namespace QCoro {
template <typename T = void> class Task {
public:
  struct promise_type {
    T value{};
    Task get_return_object() { return Task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_value(T v) { value = std::move(v); }
    void unhandled_exception() { std::terminate(); }
  };
  explicit Task(std::coroutine_handle<promise_type> h) : h_(h) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) noexcept {}
  T await_resume() { return std::move(h_.promise().value); }

private:
  std::coroutine_handle<promise_type> h_;
};
template <> class Task<void> {
public:
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) noexcept {}
  void await_resume() {}
};
} // namespace QCoro
