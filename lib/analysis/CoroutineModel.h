//===--- CoroutineModel.h - what corotidy knows about coroutine code ------===//
//
// The one place that answers the questions every check asks: is this type a
// task, is it lazy, is this function a coroutine, is this await an ordering
// primitive, is this call a spawn / offload / combinator / blocking call, and
// is this call's result used. Library knowledge comes from the RuleSet; task
// types are also recognised structurally (a promise_type and awaitable).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Rules.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ASTTypeTraits.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <memory>
#include <string>

namespace corotidy {

class RoleInference;

/// The qualified name of a declaration as rules spell it: namespaces and
/// classes joined by "::", without template arguments, inline namespaces
/// (std::__1, std::__cxx11), anonymous namespaces or linkage specs.
/// A global function is just its name ("sleep").
std::string ruleName(const clang::NamedDecl *D);

/// The last component of ruleName(D) ("sleep_for", "vector"), found without
/// building the qualified name; empty when that component is not a plain
/// identifier (operators, conversions).
llvm::StringRef ruleLeafName(const clang::NamedDecl *D);

/// Rule names mapped to their entries. Most declarations a check asks about
/// are in no rule, so their own name is tested against the entries' last
/// components first, and the qualified name is built only when it may match.
/// Names may be written with a leading "::" ("::sleep" == "sleep").
template <typename T> class RuleNameMap {
public:
  void insert(llvm::StringRef Name, T Value) {
    Name.consume_front("::");
    Entries[Name] = Value;
    size_t Colons = Name.rfind("::");
    Leaves.insert(Colons == llvm::StringRef::npos ? Name : Name.drop_front(Colons + 2));
  }
  T lookup(llvm::StringRef Name) const {
    Name.consume_front("::");
    return Entries.lookup(Name);
  }
  T lookup(const clang::NamedDecl *D) const {
    return D && mayName(D) ? Entries.lookup(ruleName(D)) : T();
  }
  /// False when no entry can name a declaration whose own name is Leaf.
  bool mayName(llvm::StringRef Leaf) const { return Leaves.contains(Leaf); }
  bool mayName(const clang::NamedDecl *D) const {
    llvm::StringRef Leaf = ruleLeafName(D);
    return Leaf.empty() || mayName(Leaf);
  }
  bool empty() const { return Entries.empty(); }

private:
  llvm::StringMap<T> Entries;
  llvm::StringSet<> Leaves;
};

/// A set of rule names with a lookup that takes declarations.
class NameSet {
public:
  NameSet() = default;
  explicit NameSet(const std::vector<std::string> &Names) { add(Names); }
  void add(llvm::StringRef Name) { Names.insert(Name, true); }
  void add(const std::vector<std::string> &Names);
  bool contains(llvm::StringRef Name) const { return Names.lookup(Name); }
  /// Matches D, or for a method, also the same method named on any base class.
  bool matches(const clang::NamedDecl *D) const;
  bool empty() const { return Names.empty(); }

private:
  RuleNameMap<bool> Names;
};

struct TaskInfo {
  bool IsTask = false;
  Laziness Lazy = Laziness::Unknown;
  /// The framework the rules assign this type to; null for structurally
  /// recognised (home-made) task types.
  const FrameworkRule *Framework = nullptr;
  const clang::CXXRecordDecl *Record = nullptr;
  explicit operator bool() const { return IsTask; }
};

/// How the value of an expression is used by its surroundings.
enum class ValueUse {
  Discarded,   ///< expression statement, for-init/inc, comma LHS
  VoidCast,    ///< (void)expr, static_cast<void>(expr)
  Awaited,     ///< operand of co_await / co_yield (directly)
  Returned,    ///< return / co_return
  Stored,      ///< initialises or is assigned to a variable or member
  PassedOn,    ///< an argument of another call or constructor
  Other,
};

/// What a co_await waits for.
enum class AwaitKind {
  TaskCall,          ///< co_await f(...) where f returns a task
  TaskObject,        ///< co_await t / co_await std::move(t) of a task variable
  OrderingPrimitive, ///< lock, semaphore, timer, event, channel, scheduler hop
  Combinator,        ///< co_await when_all(...)
  Other,             ///< any other awaitable: treated as ordering
};

class CoroutineModel {
public:
  explicit CoroutineModel(std::shared_ptr<const RuleSet> Rules);
  ~CoroutineModel();

  /// The model for the built-in rules plus a user overlay (the value of the
  /// corotidy.Rules option). Cached by overlay text; errors name the option.
  static llvm::Expected<std::shared_ptr<const CoroutineModel>>
  get(llvm::StringRef Overlay);

  const RuleSet &rules() const { return *Rules; }

  // --- Types -------------------------------------------------------------
  /// Is T (after sugar, references and cv) a task type? Structural: it has a
  /// promise_type (nested, or via a std::coroutine_traits specialisation) and
  /// is awaitable; or [[clang::coro_return_type]]; or named by the rules.
  TaskInfo classifyType(clang::QualType T) const;
  /// The same class, or specialisations of the same class template
  /// (task<int> and task<void>).
  static bool isSameTaskFamily(const clang::CXXRecordDecl *A,
                               const clang::CXXRecordDecl *B);
  /// Reads promise_type::initial_suspend(): suspend_always / await_ready()
  /// returning false is lazy, suspend_never / true is eager.
  Laziness lazinessOf(const clang::CXXRecordDecl *TaskRecord) const;
  /// The promise type of a task record, if it can be found without Sema.
  const clang::CXXRecordDecl *promiseOf(const clang::CXXRecordDecl *TaskRecord) const;
  /// T names a class with await_ready() or a member operator co_await.
  bool isAwaitableType(clang::QualType T) const;
  /// The rules name this class as a task, scope or ordering type.
  bool isKnownToRules(const clang::CXXRecordDecl *Record) const;
  /// Roles recognised by shape where the rules are silent (Roles.h).
  const RoleInference &inference() const { return *Inference; }

  // --- Functions ---------------------------------------------------------
  /// Has a body containing co_await, co_yield or co_return.
  static bool isCoroutine(const clang::FunctionDecl *FD);
  /// The statement directly above N (its first parent), or null if that is
  /// not a statement.
  static const clang::Stmt *parentStmt(const clang::DynTypedNode &N, clang::ASTContext &Ctx);
  /// The innermost function (or lambda call operator) whose body holds S.
  static const clang::FunctionDecl *enclosingFunction(const clang::Stmt &S,
                                                      clang::ASTContext &Ctx);
  /// The innermost enclosing function, if it is a coroutine.
  static const clang::FunctionDecl *enclosingCoroutine(const clang::Stmt &S,
                                                       clang::ASTContext &Ctx);
  /// The framework of a coroutine, from its return type (null if unknown).
  const FrameworkRule *frameworkOf(const clang::FunctionDecl *Coroutine) const;
  /// asyncrt's fix-its (sleep_for, to_thread, when_all) compile in this
  /// coroutine: its framework says so.
  bool acceptsAsyncrtFixes(const clang::FunctionDecl *Coroutine) const;

  // --- Calls -------------------------------------------------------------
  /// Where a call starts as written: for an overloaded operator call such as
  /// `a && b`, `f(x)` on a callable or `v[i]`, the start of its first operand
  /// (clang 19 and 22 disagree on getBeginLoc() for these).
  static clang::SourceLocation callStart(const clang::CallExpr &Call);
  /// Where such a call ends: its closing paren or bracket, or the end of its
  /// last operand.
  static clang::SourceLocation callEnd(const clang::CallExpr &Call);
  // The role questions below answer from the rules first, then from the
  // callee's shape (RoleInference) unless the rules switch inference off.
  const SpawnRule *spawnRule(const clang::FunctionDecl *Callee) const;
  bool isOffloadFunction(const clang::FunctionDecl *Callee) const;
  bool isCombinator(const clang::FunctionDecl *Callee) const;
  bool isBoundedCombinator(const clang::FunctionDecl *Callee) const;
  bool isLimiter(const clang::FunctionDecl *Callee) const;
  bool isScopeType(const clang::CXXRecordDecl *Record) const;
  bool isOrderingPrimitive(const clang::NamedDecl *D) const;
  /// The blocking rule for a callee (or, for a constructor, for its class).
  const BlockingRule *blockingRule(const clang::FunctionDecl *Callee) const;
  /// For a member call, also under the class of the object it is made on
  /// (rules say std::future::wait; libstdc++ declares it in a base).
  const BlockingRule *blockingRule(const clang::CXXMemberCallExpr &Call) const;
  /// Variables passed as the file descriptor (first argument) of a readiness
  /// function (asyncrt::readable/writable) anywhere in the coroutine's body:
  /// calls on them are non-blocking by construction.
  llvm::SmallPtrSet<const clang::VarDecl *, 4>
  fdsAwaitedForReadiness(const clang::FunctionDecl &Coroutine) const;
  /// True if S sits (at any depth) inside a lambda or callable that is an
  /// argument of an offload function, so it runs off the event loop.
  bool isInOffloadedCallable(const clang::Stmt &S, clang::ASTContext &Ctx) const;

  // --- Awaits and values -------------------------------------------------
  /// Explicit co_await / co_yield only; initial/final suspends are implicit.
  static bool isExplicitAwait(const clang::Expr *E);
  /// Bound is the local variable the await initialises, if any: a guard
  /// that is never read (it lives for its destructor) makes it an ordering
  /// await.
  AwaitKind classifyAwait(const clang::CoawaitExpr &Await,
                          const clang::VarDecl *Bound = nullptr) const;
  /// The expression a value comes from, without parens, implicit casts,
  /// cleanups, temporaries, default-argument wrappers and copy/move
  /// constructions around it.
  static const clang::Expr *ignoreValueWrappers(const clang::Expr *E);
  /// Inside the handler of a try block (where co_await is ill-formed), within
  /// the innermost enclosing function.
  static bool isInCatchHandler(const clang::Stmt &S, clang::ASTContext &Ctx);
  /// How the value of E is used, looking through implicit nodes and parens.
  static ValueUse useOf(const clang::Expr &E, clang::ASTContext &Ctx);

  // Name lists for matchers (hasAnyName) and options.
  const NameSet &blockingNames() const { return BlockingNames; }

private:
  /// Class::Method, or Base::Method for any base of Class, in the rules.
  const BlockingRule *memberBlockingRule(const clang::CXXRecordDecl *Class,
                                         llvm::StringRef Method) const;

  std::shared_ptr<const RuleSet> Rules;
  const RuleSet *BuiltinSource = nullptr; // what get() built this from
  NameSet TaskNames, OffloadNames, CombinatorNames, BoundedNames, LimiterNames,
      ScopeNames, OrderingNames, BlockingNames, ReadinessNames;
  RuleNameMap<const TaskTypeRule *> TaskRules;
  RuleNameMap<const FrameworkRule *> TaskFramework;
  RuleNameMap<const SpawnRule *> SpawnRules;
  RuleNameMap<const BlockingRule *> BlockingRules;
  std::unique_ptr<RoleInference> Inference;
};

} // namespace corotidy
