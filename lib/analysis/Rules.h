//===--- Rules.h - the rules data: frameworks, blocking functions, checks -===//
//
// Everything corotidy knows about libraries is data (rules/*.yaml), parsed into
// a RuleSet. A user's config adds to it with the same schema, so there is one
// loader and one place where "what is a task type" is written down.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace corotidy {

/// Whether a task's body starts when the task is created (eager) or only when
/// it is awaited (lazy). Read from promise_type::initial_suspend().
enum class Laziness { Unknown, Lazy, Eager };

struct TaskTypeRule {
  std::string Name; ///< Qualified class (template) name, e.g. "asyncrt::task".
  Laziness Lazy = Laziness::Unknown;
  bool operator==(const TaskTypeRule &) const = default;
};

/// A function that starts a task detached from the caller.
struct SpawnRule {
  std::string Name;
  /// Index of the argument that receives errors (completion handler / on_error).
  /// Unset: the function has no error channel, so its launches always drop
  /// exceptions unless the task catches them itself.
  std::optional<unsigned> HandlerArg;
  /// Values of the handler argument that discard errors (asio::detached).
  std::vector<std::string> DetachedTokens;
  /// Spawns into a scope (task_group) whose join() rethrows: errors are kept.
  bool Scoped = false;
  /// Errors reach the returned object (std::async's future): they are lost
  /// when that result is discarded or never looked at.
  bool ErrorsInResult = false;
  bool operator==(const SpawnRule &) const = default;
};

/// How a framework spells "await all of these concurrently".
struct WhenAllRule {
  std::string Function;        ///< e.g. "asyncrt::when_all"; empty: none known.
  std::string Header;          ///< e.g. "<asyncrt/when_all.hpp>".
  std::string Style = "call";  ///< "call": F(a, b); "operator-and": (a && b).
  std::string UsingDirective;  ///< Needed for operator styles.
  std::string BoundedFunction; ///< e.g. "asyncrt::when_all_bounded".
  std::string BoundedHeader;
  bool operator==(const WhenAllRule &) const = default;
};

struct FrameworkRule {
  std::string Name;
  std::vector<TaskTypeRule> TaskTypes;
  /// when_all-like functions: the tasks given to them are awaited.
  std::vector<std::string> Combinators;
  /// Combinators that bound concurrency (when_all_bounded).
  std::vector<std::string> BoundedCombinators;
  std::vector<SpawnRule> SpawnFunctions;
  /// Functions whose callable argument runs off the event loop (to_thread).
  std::vector<std::string> OffloadFunctions;
  /// Types, or functions returning awaitables, whose awaits order execution:
  /// locks, semaphores, timers, events, channels, scheduler hops.
  std::vector<std::string> OrderingPrimitives;
  /// Functions whose await limits concurrency (semaphore::acquire).
  std::vector<std::string> Limiters;
  /// Structured scopes (task_group): tasks spawned into them are joined.
  std::vector<std::string> Scopes;
  /// Functions that await a file descriptor's readiness (asyncrt::readable):
  /// an fd driven through them is non-blocking.
  std::vector<std::string> ReadinessFunctions;
  WhenAllRule WhenAll;
  /// The asyncrt fix-its (sleep_for, to_thread, when_all) compile inside
  /// coroutines of this framework.
  bool AcceptsAsyncrtAwaitables = false;
};

struct BlockingRule {
  std::string Name;        ///< Qualified function, method or class name.
  std::string Category;    ///< sleep, file, dns, process, sync-wait, lock, net, db, http
  std::string Alternative; ///< What to use instead, in words.
  /// Replacement for the whole call. {0}, {1}... are the arguments' source
  /// text, {call} the call itself. Empty: the category's default fix.
  std::string Fix;
  std::string Header; ///< Include the fix needs.
  /// Blocks when an object of this class is constructed (std::lock_guard).
  bool Constructor = false;
  /// Enumerators (QDBus::NoBlock) that, passed as an argument, make the call
  /// return at once.
  std::vector<std::string> NonBlockingArguments;
  /// A rule by signature, for generated code with no fixed name (gRPC's
  /// synchronous stubs): any function that returns the class Name and takes
  /// a pointer to this class.
  std::string ByParameter;
};

struct CategoryRule {
  std::string Name;
  std::string Description; ///< "file I/O"
  std::string Alternative;
  /// Default fix for calls of this category, e.g. the to_thread wrapper.
  std::string Fix;
  std::string Header;
};

/// A thread lock guard class (std::lock_guard): it holds its mutex from its
/// construction to the end of its scope, unless a Release method (unlock,
/// release) or a move ends that earlier; Acquire methods (lock) take it again.
struct LockGuardRule {
  std::string Name;
  std::vector<std::string> Acquire;
  std::vector<std::string> Release;
  /// Tag types whose argument leaves the guard unlocked (std::defer_lock_t).
  std::vector<std::string> DeferTags;
};

/// A thread mutex class (std::mutex) and its member functions that take and
/// give back the lock; a manual lock()...unlock() pair is a critical section.
struct MutexRule {
  std::string Name;
  std::vector<std::string> Acquire;
  std::vector<std::string> Release;
};

/// A client, session, connection or pool whose construction is expensive
/// (a handshake, a DNS lookup, a login): made once and shared, not per call.
struct ConnectionRule {
  std::string Name;        ///< A class (Constructor) or a function.
  std::string Description; ///< "an HTTP session"
  bool Constructor = false;
  /// For a function: the argument that receives the handle (sqlite3_open's
  /// second). Unset: the function returns it.
  std::optional<unsigned> HandleArg;
  /// Only expensive together with one of these calls in the same function
  /// (a resolver is cheap until it is used to connect).
  std::vector<std::string> WithCalls;
};

/// How roles are recognised by their shape when no rule names them
/// (RoleInference).
struct InferenceRule {
  /// Member names whose awaits acquire or hop: an await of one orders
  /// execution (lock, acquire, schedule, ...).
  std::vector<std::string> AcquisitionNames;
  /// Member names that give a permit back (release, signal, post): with an
  /// integral-count constructor and an acquisition, a counting semaphore.
  std::vector<std::string> ReleaseNames;
  /// Member names whose awaits hop, sleep or acquire (schedule, yield, lock):
  /// they wait for no spawned task, so none of them is a scope's join.
  std::vector<std::string> NonJoinNames;
  /// Types, functions or namespaces whose shapes mislead: no role is
  /// inferred for them or for anything declared inside them.
  std::vector<std::string> Off;
};

struct CheckMetadata {
  std::string Id;
  std::string Severity = "warning";
  std::string Summary;
  std::string Explanation;
  std::string Doc;
};

/// All rules data. Files and user overlays share this schema; merge() layers
/// an overlay on top (frameworks merge by name, lists append, removals apply).
struct RuleSet {
  std::vector<FrameworkRule> Frameworks;
  std::vector<BlockingRule> Blocking;
  std::vector<CategoryRule> Categories;
  std::vector<CheckMetadata> Checks;
  /// Names to drop from the blocking list (a user's "this is fine here").
  std::vector<std::string> RemoveBlocking;
  std::vector<LockGuardRule> LockGuards;
  std::vector<MutexRule> Mutexes;
  std::vector<ConnectionRule> Connections;
  InferenceRule Inference;

  void merge(RuleSet Overlay);
  const FrameworkRule *framework(llvm::StringRef Name) const;
  const CategoryRule *category(llvm::StringRef Name) const;
  const CheckMetadata *check(llvm::StringRef Id) const;
};

/// Parses one YAML document of the rules schema. Errors name Source:line:col.
llvm::Expected<RuleSet> parseRules(llvm::StringRef Yaml, llvm::StringRef Source);

/// YAML text of the rules schema that parseRules reads back unchanged.
std::string serializeRules(const RuleSet &Set);

/// Where the installed rules live. Empty (the default): the embedded copy.
void setRulesDirectory(std::string Dir);

/// The built-in rules: *.yaml from the rules directory when one is set and
/// present, else the copy embedded at build time. Loaded once.
llvm::Expected<std::shared_ptr<const RuleSet>> builtinRules();

/// The name of the global option that carries a user's rules overlay (YAML of
/// the rules schema). .corotidy.yaml's "Rules:" section is stored under it.
inline constexpr llvm::StringLiteral RulesOptionName = "corotidy.Rules";

} // namespace corotidy
