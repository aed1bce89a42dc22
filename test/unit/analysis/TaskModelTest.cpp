// Unit tests for the coroutine model: task types recognised structurally and
// from the rules, laziness read from initial_suspend(), rule names, value use.
#include "CoroutineModel.h"
#include "ParsedCodeTest.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"

#include <gtest/gtest.h>

using namespace clang;
using namespace clang::ast_matchers;
using namespace corotidy;

namespace {

const char *Prelude = R"cpp(
#include <coroutine>
#include <exception>
namespace home {
template <typename T> struct Lazy {
  struct promise_type {
    Lazy get_return_object();
    std::suspend_always initial_suspend() noexcept;
    std::suspend_always final_suspend() noexcept;
    void return_value(T);
    void unhandled_exception();
  };
  bool await_ready();
  void await_suspend(std::coroutine_handle<>);
  T await_resume();
};
struct Eager {
  struct promise_type {
    Eager get_return_object();
    std::suspend_never initial_suspend() noexcept;
    std::suspend_never final_suspend() noexcept;
    void return_void();
    void unhandled_exception();
  };
  bool await_ready();
  void await_suspend(std::coroutine_handle<>);
  void await_resume();
};
struct StartsNow { bool await_ready() const noexcept { return true; }
                   void await_suspend(std::coroutine_handle<>) const noexcept {}
                   void await_resume() const noexcept {} };
struct Maybe { bool flag; bool await_ready() const noexcept { return flag; }
               void await_suspend(std::coroutine_handle<>) const noexcept {}
               void await_resume() const noexcept {} };
struct CustomEager {
  struct promise_type {
    CustomEager get_return_object();
    StartsNow initial_suspend() noexcept;
    std::suspend_always final_suspend() noexcept;
    void return_void(); void unhandled_exception();
  };
  bool await_ready(); void await_suspend(std::coroutine_handle<>); void await_resume();
};
struct Unknown {
  struct promise_type {
    Unknown get_return_object();
    Maybe initial_suspend() noexcept;
    std::suspend_always final_suspend() noexcept;
    void return_void(); void unhandled_exception();
  };
  bool await_ready(); void await_suspend(std::coroutine_handle<>); void await_resume();
};
// The promise comes from a coroutine_traits specialisation, as asio does it.
template <typename T> struct Traited {
  bool await_ready(); void await_suspend(std::coroutine_handle<>); T await_resume();
};
template <typename T> struct TraitedPromise {
  Traited<T> get_return_object();
  std::suspend_always initial_suspend() noexcept;
  std::suspend_always final_suspend() noexcept;
  void return_value(T); void unhandled_exception();
};
struct [[clang::coro_return_type]] Marked {
  struct promise_type {
    Marked get_return_object();
    std::suspend_always initial_suspend() noexcept;
    std::suspend_always final_suspend() noexcept;
    void return_void(); void unhandled_exception();
  };
};
struct Generator {
  struct promise_type {
    Generator get_return_object();
    std::suspend_always initial_suspend() noexcept;
    std::suspend_always final_suspend() noexcept;
    std::suspend_always yield_value(int) noexcept;
    void return_void(); void unhandled_exception();
  };
};
struct Event { bool await_ready(); void await_suspend(std::coroutine_handle<>); void await_resume(); };
} // namespace home
template <typename T, typename... Args>
struct std::coroutine_traits<home::Traited<T>, Args...> { using promise_type = home::TraitedPromise<T>; };
namespace asyncrt { template <typename T = void> struct task {}; }
)cpp";

class TaskModelTest : public ParsedCodeTest {
protected:
  void build(const std::string &Code) { parse(std::string(Prelude) + Code); }
  TaskInfo returnOf(llvm::StringRef Name) {
    const FunctionDecl *F = function(Name);
    return F ? Model->classifyType(F->getReturnType()) : TaskInfo{};
  }
};

TEST_F(TaskModelTest, RecognisesTaskTypesStructurally) {
  build(R"cpp(
home::Lazy<int> lazy(); home::Eager eager(); home::CustomEager custom();
home::Unknown unknown(); home::Traited<int> traited(); home::Marked marked();
home::Generator gen(); home::Event event(); int plain();
)cpp");
  EXPECT_TRUE(returnOf("lazy"));
  EXPECT_EQ(returnOf("lazy").Lazy, Laziness::Lazy);
  EXPECT_EQ(returnOf("lazy").Framework, nullptr);
  EXPECT_EQ(returnOf("eager").Lazy, Laziness::Eager);
  EXPECT_EQ(returnOf("custom").Lazy, Laziness::Eager) << "await_ready() returns true";
  EXPECT_TRUE(returnOf("unknown"));
  EXPECT_EQ(returnOf("unknown").Lazy, Laziness::Unknown);
  EXPECT_TRUE(returnOf("traited")) << "promise from coroutine_traits";
  EXPECT_EQ(returnOf("traited").Lazy, Laziness::Lazy);
  EXPECT_TRUE(returnOf("marked")) << "[[clang::coro_return_type]]";
  EXPECT_FALSE(returnOf("gen")) << "not awaitable";
  EXPECT_FALSE(returnOf("event")) << "no promise_type";
  EXPECT_FALSE(returnOf("plain"));
}

TEST_F(TaskModelTest, RulesNameFrameworkTypes) {
  build("asyncrt::task<int> fetch(); asyncrt::task<> nothing();");
  TaskInfo Info = returnOf("fetch");
  ASSERT_TRUE(Info) << "named by rules/frameworks.yaml, even without a promise";
  ASSERT_NE(Info.Framework, nullptr);
  EXPECT_EQ(Info.Framework->Name, "asyncrt");
  EXPECT_EQ(Info.Lazy, Laziness::Lazy);
  EXPECT_TRUE(Model->acceptsAsyncrtFixes(function("fetch")));
}

TEST_F(TaskModelTest, FindsCoroutinesAndTheirEnclosingFunctions) {
  build(R"cpp(
home::Lazy<int> leaf(int);
home::Lazy<int> coro() { co_return co_await leaf(1); }
home::Lazy<int> notYet() { return leaf(2); }
home::Lazy<int> outer() {
  auto inner = [] { return leaf(3); };
  co_return co_await inner();
}
template <typename T> home::Lazy<T> generic(T v) { co_return v; }
)cpp");
  EXPECT_TRUE(CoroutineModel::isCoroutine(function("coro")));
  EXPECT_FALSE(CoroutineModel::isCoroutine(function("notYet")));
  EXPECT_TRUE(CoroutineModel::isCoroutine(function("generic")));
  ASTContext &Ctx = AST->getASTContext();
  auto Calls = match(callExpr(callee(functionDecl(hasName("leaf"))),
                              hasArgument(0, integerLiteral(equals(3))))
                         .bind("c"),
                     Ctx);
  ASSERT_EQ(Calls.size(), 1u);
  const auto *InLambda = Calls.front().getNodeAs<CallExpr>("c");
  const FunctionDecl *Enclosing = CoroutineModel::enclosingFunction(*InLambda, Ctx);
  ASSERT_NE(Enclosing, nullptr);
  EXPECT_TRUE(isa<CXXMethodDecl>(Enclosing)) << "a lambda is its own function";
  EXPECT_EQ(CoroutineModel::enclosingCoroutine(*InLambda, Ctx), nullptr);
}

TEST_F(TaskModelTest, ValueUse) {
  build(R"cpp(
home::Lazy<int> f(int);
void take(home::Lazy<int>);
home::Lazy<int> g() {
  f(1);
  (void)f(2);
  auto kept = f(3);
  take(f(4));
  int v = co_await f(5);
  f(6), f(7);
  co_return v;
}
home::Lazy<int> h() { return f(8); }
)cpp");
  ASTContext &Ctx = AST->getASTContext();
  auto UseOfArg = [&](int N) {
    auto Found = match(callExpr(callee(functionDecl(hasName("f"))),
                                hasArgument(0, integerLiteral(equals(N))))
                           .bind("c"),
                       Ctx);
    EXPECT_FALSE(Found.empty()) << N;
    // A co_await operand is reachable twice (operand and common expression):
    // every path must agree.
    ValueUse Use = CoroutineModel::useOf(*Found.front().getNodeAs<CallExpr>("c"), Ctx);
    for (const BoundNodes &Node : Found)
      EXPECT_EQ(CoroutineModel::useOf(*Node.getNodeAs<CallExpr>("c"), Ctx), Use) << N;
    return Use;
  };
  EXPECT_EQ(UseOfArg(1), ValueUse::Discarded);
  EXPECT_EQ(UseOfArg(2), ValueUse::VoidCast);
  EXPECT_EQ(UseOfArg(3), ValueUse::Stored);
  EXPECT_EQ(UseOfArg(4), ValueUse::PassedOn);
  EXPECT_EQ(UseOfArg(5), ValueUse::Awaited);
  EXPECT_EQ(UseOfArg(6), ValueUse::Discarded);
  EXPECT_EQ(UseOfArg(7), ValueUse::Discarded);
  EXPECT_EQ(UseOfArg(8), ValueUse::Returned);
}

TEST_F(TaskModelTest, RuleNamesSkipInlineNamespacesAndTemplateArguments) {
  build(R"cpp(
namespace lib { inline namespace v2 { template <typename T> struct box { void get(); }; } }
namespace { struct local { void f(); }; }
extern "C" { int sleep_for_a_while(unsigned); }
struct base { void read(); }; struct derived : base {};
void use() { lib::box<int>().get(); local().f(); derived().read(); }
)cpp");
  EXPECT_EQ(ruleName(call("get")->getDirectCallee()), "lib::box::get");
  EXPECT_EQ(ruleName(call("f")->getDirectCallee()), "local::f");
  EXPECT_EQ(ruleName(function("sleep_for_a_while")), "sleep_for_a_while");
  NameSet Names({"::sleep_for_a_while", "base::read"});
  EXPECT_TRUE(Names.matches(function("sleep_for_a_while")));
  EXPECT_TRUE(Names.matches(call("read")->getDirectCallee()));
  EXPECT_FALSE(Names.matches(call("get")->getDirectCallee()));
}

TEST_F(TaskModelTest, RuleNameMapLooksUpByTheDeclarationsOwnName) {
  build(R"cpp(
namespace lib { struct conn { conn(int); }; struct out {};
                out &operator<<(out &, int); void other(); }
void use() { lib::out o; o << 1; lib::other(); }
)cpp");
  const auto *Ctor = match(cxxConstructorDecl(ofClass(hasName("conn"))).bind("c"),
                           AST->getASTContext())
                         .front()
                         .getNodeAs<CXXConstructorDecl>("c");
  EXPECT_EQ(ruleLeafName(Ctor), "conn") << "a constructor goes by its class";
  EXPECT_EQ(ruleLeafName(function("operator<<")), "") << "no identifier: never filtered";

  RuleNameMap<int> Map;
  Map.insert("::lib::conn", 1);
  Map.insert("lib::operator<<", 2);
  EXPECT_EQ(Map.lookup(Ctor), 1);
  EXPECT_EQ(Map.lookup(function("operator<<")), 2);
  EXPECT_EQ(Map.lookup("lib::conn"), 1);
  EXPECT_EQ(Map.lookup(function("other")), 0);
  EXPECT_TRUE(Map.mayName("conn"));
  EXPECT_FALSE(Map.mayName("other")) << "rejected from its own name alone";
  EXPECT_FALSE(Map.mayName("lib")) << "only last components are indexed";
}

TEST_F(TaskModelTest, TaskFamiliesAreOneClassOrOneTemplate) {
  build("home::Lazy<int> a(); home::Lazy<long> b(); home::Eager c(); home::Eager d();");
  auto Record = [&](llvm::StringRef F) {
    return function(F)->getReturnType()->getAsCXXRecordDecl();
  };
  EXPECT_TRUE(CoroutineModel::isSameTaskFamily(Record("a"), Record("b")));
  EXPECT_TRUE(CoroutineModel::isSameTaskFamily(Record("c"), Record("d")));
  EXPECT_FALSE(CoroutineModel::isSameTaskFamily(Record("a"), Record("c")));
  EXPECT_FALSE(CoroutineModel::isSameTaskFamily(Record("a"), nullptr));
}

TEST_F(TaskModelTest, UserOverlayAddsATaskType) {
  build("namespace mine { struct Job {}; } mine::Job job();");
  EXPECT_FALSE(returnOf("job"));
  auto WithOverlay = CoroutineModel::get(
      "Frameworks: [ { Name: mine, TaskTypes: [ { Name: 'mine::Job', Laziness: eager } ] } ]");
  ASSERT_TRUE(bool(WithOverlay)) << llvm::toString(WithOverlay.takeError());
  TaskInfo Info = (*WithOverlay)->classifyType(function("job")->getReturnType());
  EXPECT_TRUE(Info);
  EXPECT_EQ(Info.Lazy, Laziness::Eager);
  auto Bad = CoroutineModel::get("Frameworks: [ { TaskTypes: [] } ]");
  EXPECT_FALSE(bool(Bad));
  llvm::consumeError(Bad.takeError());
}

} // namespace
