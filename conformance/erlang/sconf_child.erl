%% Start functions of every child in the tree, and the test worker ("puppet").
%%
%% A start function runs inside the supervisor that starts the child (that is how OTP
%% calls it). It first asks the driver (registered as sconf_director) what this start
%% attempt does: fail with a reason, return ignore, or start. Workers are puppets:
%% processes that trap exits and do nothing by themselves; the driver decides when they
%% exit. Supervisor children are real vsupervisor processes with sconf_sup as callback.
-module(sconf_child).
-export([start_link/2, start_link/3, start_root/2, request/1]).

%% Static child (and the root): MFA {sconf_child, start_link, [Path, Nid]}.
start_link(Path, Nid) -> start(Path, Nid, none).

%% simple_one_for_one instance: the template MFA plus one extra argument, a token that
%% the driver uses to recognise the instance when OTP restarts it with the same args.
start_link(TmplPath, Nid, {sconf_token, _} = Token) -> start(TmplPath, Nid, Token).

start(Path, Nid, Token) ->
    case request({start_req, Path, Nid, Token}) of
        {error, Reason} ->
            {error, Reason};
        ignore ->
            ignore;
        {ok, worker, RPath} ->
            Parent = self(),
            Pid = spawn_link(fun() -> puppet_init(Parent) end),
            receive {puppet_ack, Pid} -> ok end,
            ok = request({started, RPath, Nid, Token, Pid}),
            {ok, Pid};
        {ok, supervisor, RPath} ->
            case vsupervisor:start_link(sconf_sup, {RPath, Nid, self()}) of
                {ok, Pid} ->
                    ok = request({started, RPath, Nid, Token, Pid}),
                    {ok, Pid};
                Other ->
                    ok = request({start_failed, RPath, Nid, Token, Other}),
                    Other
            end
    end.

%% The root's parent: a plain process that starts the root and then just stays alive.
start_root(Path, Nid) ->
    Director = whereis(sconf_director),
    spawn(fun() ->
                  process_flag(trap_exit, true),
                  Result = start(Path, Nid, none),
                  Director ! {root_result, Result},
                  root_owner_loop()
          end).

root_owner_loop() ->
    receive
        sconf_stop -> ok;
        _ -> root_owner_loop()
    end.

%% Synchronous request to the driver (from a start function or a supervisor's init).
request(Req) ->
    Director = whereis(sconf_director),
    Ref = erlang:monitor(process, Director),
    Director ! {req, self(), Ref, Req},
    receive
        {Ref, Reply} ->
            erlang:demonitor(Ref, [flush]),
            Reply;
        {'DOWN', Ref, process, _, Reason} ->
            exit({sconf_director_down, Reason})
    end.

%% ---------------------------------------------------------------------------------------
%% The puppet worker. Like a gen_server that traps exits:
%%  * {'EXIT', Parent, shutdown}: its supervisor asks it to stop. It tells the driver,
%%    which decides when it complies (stop_delay); it never exits by itself.
%%  * {'EXIT', Parent, Other}: its supervisor died (it was killed); exit with that reason
%%    at once, as a gen_server does when its parent dies.
%%  * {sconf_exit, Reason}: the driver makes it exit (an exit step, or compliance).
puppet_init(Parent) ->
    process_flag(trap_exit, true),
    Parent ! {puppet_ack, self()},
    puppet_loop(Parent, running).

puppet_loop(Parent, State) ->
    receive
        {'EXIT', Parent, shutdown} when State =:= running ->
            sconf_director ! {stop_req, self()},
            puppet_loop(Parent, stopping);
        {'EXIT', Parent, shutdown} ->
            puppet_loop(Parent, State);
        {'EXIT', Parent, Reason} ->
            sconf_director ! {orphan, self(), Reason},
            exit(Reason);
        {sconf_exit, Reason} ->
            exit(Reason);
        _ ->
            puppet_loop(Parent, State)
    end.
